import Mesos

/// Unreserved resources of one agent as the dev master accounts them: scalars by name and port
/// ranges. Values are rounded to three decimals, as Mesos does, so sums do not drift.
struct ResourceBag: Hashable, Sendable {
    var scalars: [String: Double] = [:]
    var ports: PortSet = PortSet()

    static let empty = ResourceBag()

    init(scalars: [String: Double] = [:], ports: PortSet = PortSet()) {
        self.scalars = scalars.mapValues(Self.round).filter { $0.value > 0 }
        self.ports = ports
    }

    /// Builds a bag from wire resources; unsupported kinds (SET, other ranges) are reported.
    init(_ resources: [Resource]) throws(ResourceError) {
        for resource in resources {
            switch resource.type {
            case .scalar:
                guard let value = resource.scalar?.value, value.isFinite, value >= 0 else {
                    throw .invalid("resource '\(resource.name)' has an invalid scalar value")
                }
                scalars[resource.name, default: 0] = Self.round(scalars[resource.name, default: 0] + value)
            case .ranges where resource.name == "ports":
                for range in resource.ranges?.range ?? [] {
                    guard range.begin <= range.end, range.end <= 65535 else {
                        throw .invalid("invalid port range [\(range.begin)-\(range.end)]")
                    }
                    let added = PortSet([range.begin...range.end])
                    if !ports.intersection(added).isEmpty {
                        throw .invalid("overlapping port ranges in 'ports'")
                    }
                    ports = ports.union(added)
                }
            default:
                throw .invalid("unsupported resource '\(resource.name)' of type \(resource.type.rawValue)")
            }
        }
        scalars = scalars.filter { $0.value > 0 }
    }

    var cpus: Double { scalars["cpus"] ?? 0 }
    var mem: Double { scalars["mem"] ?? 0 }
    var disk: Double { scalars["disk"] ?? 0 }
    var isEmpty: Bool { scalars.values.allSatisfy { $0 <= 0 } && ports.isEmpty }

    func contains(_ other: ResourceBag) -> Bool {
        for (name, value) in other.scalars where value > (scalars[name] ?? 0) + 1e-9 { return false }
        return ports.contains(other.ports)
    }

    static func + (lhs: ResourceBag, rhs: ResourceBag) -> ResourceBag {
        var result = lhs
        for (name, value) in rhs.scalars { result.scalars[name] = round((result.scalars[name] ?? 0) + value) }
        result.ports = lhs.ports.union(rhs.ports)
        return result
    }

    /// Subtraction; callers check `contains` first.
    static func - (lhs: ResourceBag, rhs: ResourceBag) -> ResourceBag {
        var result = lhs
        for (name, value) in rhs.scalars {
            let left = round((result.scalars[name] ?? 0) - value)
            result.scalars[name] = left > 0 ? left : nil
        }
        result.ports = lhs.ports.subtracting(rhs.ports)
        return result
    }

    /// Wire resources, optionally marked as allocated to a role (offers carry allocation_info).
    func resources(role: String? = nil) -> [Resource] {
        var result: [Resource] = []
        for name in scalars.keys.sorted(by: Self.order) where scalars[name]! > 0 {
            result.append(.scalar(name, scalars[name]!, role: "*", allocationRole: role))
        }
        if !ports.isEmpty {
            result.append(.ranges("ports", ports.ranges, role: "*", allocationRole: role))
        }
        return result
    }

    /// Legacy flat form for /master/state: {"cpus":2,"mem":1024,"disk":..,"ports":"[31000-32000]"}.
    var legacyJSON: [String: JSONValue] {
        var object: [String: JSONValue] = ["cpus": .number(cpus), "mem": .number(mem), "disk": .number(disk), "gpus": .number(0)]
        for (name, value) in scalars where object[name] == nil { object[name] = .number(value) }
        if !ports.isEmpty { object["ports"] = .string(ports.description) }
        return object
    }

    private static func order(_ a: String, _ b: String) -> Bool {
        let rank = ["cpus": 0, "mem": 1, "disk": 2]
        return (rank[a] ?? 3, a) < (rank[b] ?? 3, b)
    }

    static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}

struct ResourceError: Error, CustomStringConvertible {
    var description: String
    static func invalid(_ message: String) -> ResourceError { ResourceError(description: message) }
}

/// A set of ports as sorted, disjoint, non-adjacent closed ranges.
struct PortSet: Hashable, Sendable, CustomStringConvertible {
    private(set) var ranges: [ClosedRange<UInt64>] = []

    init() {}
    init(_ ranges: [ClosedRange<UInt64>]) {
        self.ranges = Self.normalize(ranges)
    }

    var isEmpty: Bool { ranges.isEmpty }
    var count: UInt64 { ranges.reduce(0) { $0 + ($1.upperBound - $1.lowerBound + 1) } }
    var all: [UInt64] { ranges.flatMap { Array($0) } }

    func contains(_ other: PortSet) -> Bool {
        other.ranges.allSatisfy { needed in ranges.contains { $0.lowerBound <= needed.lowerBound && needed.upperBound <= $0.upperBound } }
    }

    func union(_ other: PortSet) -> PortSet { PortSet(ranges + other.ranges) }

    func intersection(_ other: PortSet) -> PortSet {
        var result: [ClosedRange<UInt64>] = []
        for a in ranges {
            for b in other.ranges {
                let low = max(a.lowerBound, b.lowerBound), high = min(a.upperBound, b.upperBound)
                if low <= high { result.append(low...high) }
            }
        }
        return PortSet(result)
    }

    func subtracting(_ other: PortSet) -> PortSet {
        var result: [ClosedRange<UInt64>] = []
        for range in ranges {
            var pieces = [range]
            for cut in other.ranges {
                pieces = pieces.flatMap { piece -> [ClosedRange<UInt64>] in
                    if cut.upperBound < piece.lowerBound || cut.lowerBound > piece.upperBound { return [piece] }
                    var parts: [ClosedRange<UInt64>] = []
                    if cut.lowerBound > piece.lowerBound { parts.append(piece.lowerBound...(cut.lowerBound - 1)) }
                    if cut.upperBound < piece.upperBound { parts.append((cut.upperBound + 1)...piece.upperBound) }
                    return parts
                }
            }
            result += pieces
        }
        return PortSet(result)
    }

    var description: String {
        "[" + ranges.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ", ") + "]"
    }

    private static func normalize(_ input: [ClosedRange<UInt64>]) -> [ClosedRange<UInt64>] {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var result: [ClosedRange<UInt64>] = []
        for range in sorted {
            if let last = result.last, range.lowerBound <= last.upperBound + 1 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
