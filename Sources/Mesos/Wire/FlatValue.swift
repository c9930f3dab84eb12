/// A value in the legacy operator JSON: a number (scalar) or a string (`"[31000-32000]"`, `"{a,b}"`, text).
public enum FlatValue: Codable, Hashable, Sendable, CustomStringConvertible {
    case scalar(Double)
    case text(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .scalar(number)
        } else if let bool = try? container.decode(Bool.self) {
            self = .text(String(bool))
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .scalar(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }

    /// The number, if this is one (or a string holding one).
    public var scalar: Double? {
        switch self {
        case .scalar(let value): return value
        case .text(let value): return Double(value)
        }
    }

    /// The value as Mesos prints it.
    public var description: String {
        switch self {
        case .scalar(let value): return formatScalar(value)
        case .text(let value): return value
        }
    }

    /// Ranges written as `[31000-32000, 33000-33010]`; nil when not a ranges string.
    public var ranges: [ClosedRange<UInt64>]? {
        guard case .text(let text) = self else { return nil }
        return FlatValue.parseRanges(text)
    }

    static func parseRanges(_ text: String) -> [ClosedRange<UInt64>]? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("["), trimmed.hasSuffix("]") else { return nil }
        let body = trimmed.dropFirst().dropLast()
        if body.trimmingCharacters(in: .whitespaces).isEmpty { return [] }
        var result: [ClosedRange<UInt64>] = []
        for part in body.split(separator: ",") {
            let bounds = part.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard bounds.count == 2, let low = UInt64(bounds[0]), let high = UInt64(bounds[1]), low <= high else {
                return nil
            }
            result.append(low...high)
        }
        return result
    }

    /// Renders ranges as Mesos does: `[31000-32000, 33000-33010]`.
    public static func formatRanges(_ ranges: [ClosedRange<UInt64>]) -> String {
        "[" + ranges.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ", ") + "]"
    }
}

/// Resources in the legacy operator JSON: `{"cpus":2,"mem":1024,"disk":0,"ports":"[31000-32000]"}`.
public struct FlatResources: Codable, Hashable, Sendable {
    public var values: [String: FlatValue]

    public init(_ values: [String: FlatValue] = [:]) { self.values = values }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        values = container.decodeNil() ? [:] : try container.decode([String: FlatValue].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    public subscript(name: String) -> FlatValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    public var cpus: Double { values["cpus"]?.scalar ?? 0 }
    public var mem: Double { values["mem"]?.scalar ?? 0 }
    public var disk: Double { values["disk"]?.scalar ?? 0 }
    public var gpus: Double { values["gpus"]?.scalar ?? 0 }
    public var ports: [ClosedRange<UInt64>] { values["ports"]?.ranges ?? [] }

    /// Flattens v1 resources as the master's legacy endpoints do (summing scalars, joining ranges).
    public init(_ resources: [Resource]) {
        var scalars: [String: Double] = [:]
        var ranges: [String: [ClosedRange<UInt64>]] = [:]
        var sets: [String: [String]] = [:]
        for resource in resources {
            switch resource.type {
            case .scalar: scalars[resource.name, default: 0] += resource.scalar?.value ?? 0
            case .ranges:
                ranges[resource.name, default: []] += (resource.ranges?.range ?? []).map { $0.begin...$0.end }
            case .set: sets[resource.name, default: []] += resource.set?.item ?? []
            default: break
            }
        }
        var values: [String: FlatValue] = [:]
        for (name, value) in scalars { values[name] = .scalar(value) }
        for (name, value) in ranges {
            values[name] = .text(FlatValue.formatRanges(value.sorted { $0.lowerBound < $1.lowerBound }))
        }
        for (name, value) in sets { values[name] = .text("{" + value.joined(separator: ",") + "}") }
        self.values = values
    }
}
