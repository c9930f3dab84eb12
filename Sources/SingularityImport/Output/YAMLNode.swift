/// A YAML value the importer writes: maps keep the order they were built in, so output is stable.
public indirect enum YAMLNode: Sendable, Hashable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([YAMLNode])
    case map([(String, YAMLNode)])

    public static func == (a: YAMLNode, b: YAMLNode) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.list(let x), .list(let y)): x == y
        case (.map(let x), .map(let y)): x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .string(let x): hasher.combine(x)
        case .int(let x): hasher.combine(x)
        case .double(let x): hasher.combine(x)
        case .bool(let x): hasher.combine(x)
        case .list(let x): hasher.combine(x)
        case .map(let x):
            for (key, value) in x {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// A map of strings, keys sorted.
    static func sortedMap(_ map: [String: String]) -> YAMLNode {
        .map(map.keys.sorted().map { ($0, .string(map[$0]!)) })
    }

    var isEmptyCollection: Bool {
        switch self {
        case .list(let x): x.isEmpty
        case .map(let x): x.isEmpty
        default: false
        }
    }
}

/// An ordered map under construction; `nil` values are left out.
struct YAMLMapBuilder {
    private(set) var entries: [(String, YAMLNode)] = []

    mutating func set(_ key: String, _ value: YAMLNode?) {
        guard let value else { return }
        entries.append((key, value))
    }

    mutating func set(_ key: String, _ value: Int?) { set(key, value.map(YAMLNode.int)) }
    mutating func set(_ key: String, _ value: Bool?) { set(key, value.map(YAMLNode.bool)) }
    mutating func set(_ key: String, _ value: String?) { set(key, value.map(YAMLNode.string)) }

    var isEmpty: Bool { entries.isEmpty }
    /// The map, or nil when nothing was set.
    var node: YAMLNode? { entries.isEmpty ? nil : .map(entries) }
}
