/// The type of a resource or attribute value.
public struct ValueType: WireEnum {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public static let scalar: ValueType = "SCALAR"
    public static let ranges: ValueType = "RANGES"
    public static let set: ValueType = "SET"
    public static let text: ValueType = "TEXT"
}

/// `{"value": 2.5}`
public struct ScalarValue: Codable, Hashable, Sendable {
    @Lenient public var value: Double
    public init(_ value: Double) { self.value = value }
}

/// An inclusive range `{"begin": 31000, "end": 32000}`.
public struct ValueRange: Codable, Hashable, Sendable {
    @Lenient public var begin: UInt64
    @Lenient public var end: UInt64
    public init(begin: UInt64, end: UInt64) {
        self.begin = begin
        self.end = end
    }
    public var count: UInt64 { end >= begin ? end - begin + 1 : 0 }
}

/// `{"range": [...]}`
public struct RangesValue: Codable, Hashable, Sendable {
    @Repeated public var range: [ValueRange]
    public init(_ range: [ValueRange]) { self.range = range }
}

/// `{"item": [...]}`
public struct SetValue: Codable, Hashable, Sendable {
    @Repeated public var item: [String]
    public init(_ item: [String]) { self.item = item }
}

/// `{"value": "..."}`
public struct TextValue: Codable, Hashable, Sendable {
    public var value: String
    public init(_ value: String) { self.value = value }
}

/// A free-form key/value pair.
public struct Label: Codable, Hashable, Sendable {
    public var key: String
    public var value: String?
    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }
}

/// `{"labels": [{"key": .., "value": ..}]}`
public struct Labels: Codable, Hashable, Sendable {
    @Repeated public var labels: [Label]
    public init(_ labels: [Label] = []) { self.labels = labels }
    public init(_ dictionary: [String: String]) {
        self.labels = dictionary.sorted { $0.key < $1.key }.map { Label(key: $0.key, value: $0.value) }
    }
    /// The value of the first label with this key.
    public subscript(key: String) -> String? {
        labels.first { $0.key == key }?.value
    }
}

/// `{"key": .., "value": ..}`
public struct Parameter: Codable, Hashable, Sendable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
