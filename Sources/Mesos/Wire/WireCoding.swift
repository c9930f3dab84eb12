import Foundation

/// The JSON encoder and decoder configured the way the Mesos master speaks JSON.
///
/// Doubles may be `"Infinity"`, `"-Infinity"` or `"NaN"`; `bytes` fields are base64 strings.
/// Field names are spelled out in each type's `CodingKeys`, so no key strategy is needed.
public enum MesosJSON {
    /// A new encoder producing the master's JSON. Encoders are not shared across threads.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        encoder.dataEncodingStrategy = .base64
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// A new decoder accepting the master's JSON (and the leniencies protobuf's JSON parser allows).
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        decoder.dataDecodingStrategy = .base64
        return decoder
    }

    /// Encodes a value to JSON bytes.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        try makeEncoder().encode(value)
    }

    /// Decodes JSON bytes into a value.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try makeDecoder().decode(type, from: data)
    }
}

// MARK: - Enums that survive unknown values

/// A protobuf enum on the wire: a string. Unknown values decode to a value with that raw string.
public protocol WireEnum: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral where RawValue == String
{
    init(_ rawValue: String)
}

extension WireEnum {
    public init(rawValue: String) { self.init(rawValue) }
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            self.init(string)
        } else {
            // protobuf's JSON parser also accepts the enum's number; keep it as an unknown value.
            let number = try container.decode(Int64.self)
            self.init(String(number))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

// MARK: - Lenient scalars

/// A scalar that protobuf's JSON parser also accepts as a string (`"15"`, `"Infinity"`, `"true"`).
public protocol LenientScalar: Codable, Hashable, Sendable {
    static func parse(lenient string: String) -> Self?
    static func fromDouble(_ value: Double) -> Self?
}

extension LenientScalar {
    static func decodeLeniently(from container: any SingleValueDecodingContainer) throws -> Self {
        if let value = try? container.decode(Self.self) { return value }
        if let string = try? container.decode(String.self) {
            if let value = parse(lenient: string.trimmingCharacters(in: .whitespaces)) { return value }
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Cannot read \(Self.self) from \"\(string)\"")
        }
        if let double = try? container.decode(Double.self), let value = fromDouble(double) { return value }
        throw DecodingError.typeMismatch(
            Self.self, .init(codingPath: container.codingPath, debugDescription: "Expected \(Self.self)"))
    }
}

extension Double: LenientScalar {
    public static func parse(lenient string: String) -> Double? {
        switch string {
        case "Infinity", "inf", "+Infinity": return .infinity
        case "-Infinity", "-inf": return -.infinity
        case "NaN", "nan": return .nan
        default: return Double(string)
        }
    }
    public static func fromDouble(_ value: Double) -> Double? { value }
}

extension Bool: LenientScalar {
    public static func parse(lenient string: String) -> Bool? {
        switch string {
        case "true", "1": return true
        case "false", "0": return false
        default: return nil
        }
    }
    public static func fromDouble(_ value: Double) -> Bool? {
        value == 1 ? true : value == 0 ? false : nil
    }
}

extension Int64: LenientScalar {
    public static func parse(lenient string: String) -> Int64? {
        Int64(string) ?? Double(string).flatMap { Int64(exactly: $0) }
    }
    public static func fromDouble(_ value: Double) -> Int64? { Int64(exactly: value) }
}

extension UInt64: LenientScalar {
    public static func parse(lenient string: String) -> UInt64? {
        UInt64(string) ?? Double(string).flatMap { UInt64(exactly: $0) }
    }
    public static func fromDouble(_ value: Double) -> UInt64? { UInt64(exactly: value) }
}

extension Int32: LenientScalar {
    public static func parse(lenient string: String) -> Int32? {
        Int32(string) ?? Double(string).flatMap { Int32(exactly: $0) }
    }
    public static func fromDouble(_ value: Double) -> Int32? { Int32(exactly: value) }
}

extension UInt32: LenientScalar {
    public static func parse(lenient string: String) -> UInt32? {
        UInt32(string) ?? Double(string).flatMap { UInt32(exactly: $0) }
    }
    public static func fromDouble(_ value: Double) -> UInt32? { UInt32(exactly: value) }
}

extension Int: LenientScalar {
    public static func parse(lenient string: String) -> Int? {
        Int(string) ?? Double(string).flatMap { Int(exactly: $0) }
    }
    public static func fromDouble(_ value: Double) -> Int? { Int(exactly: value) }
}

/// A required scalar field that also accepts numeric strings.
@propertyWrapper
public struct Lenient<Value: LenientScalar>: Codable, Hashable, Sendable {
    public var wrappedValue: Value
    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }
    public init(from decoder: any Decoder) throws {
        wrappedValue = try Value.decodeLeniently(from: decoder.singleValueContainer())
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

/// An optional scalar field that also accepts numeric strings; omitted when nil.
@propertyWrapper
public struct LenientOptional<Value: LenientScalar>: Codable, Hashable, Sendable {
    public var wrappedValue: Value?
    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try Value.decodeLeniently(from: container)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// A protobuf `repeated` field: missing or null decodes as empty; empty is not written.
@propertyWrapper
public struct Repeated<Element: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var wrappedValue: [Element]
    public init(wrappedValue: [Element]) { self.wrappedValue = wrappedValue }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? [] : try container.decode([Element].self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    public func decode<T>(_ type: LenientOptional<T>.Type, forKey key: Key) throws -> LenientOptional<T> {
        try decodeIfPresent(type, forKey: key) ?? LenientOptional(wrappedValue: nil)
    }

    public func decode<T>(_ type: Repeated<T>.Type, forKey key: Key) throws -> Repeated<T> {
        try decodeIfPresent(type, forKey: key) ?? Repeated(wrappedValue: [])
    }
}

extension KeyedEncodingContainer {
    public mutating func encode<T>(_ value: LenientOptional<T>, forKey key: Key) throws {
        if let wrapped = value.wrappedValue { try encode(wrapped, forKey: key) }
    }

    public mutating func encode<T>(_ value: Repeated<T>, forKey key: Key) throws {
        if !value.wrappedValue.isEmpty { try encode(value.wrappedValue, forKey: key) }
    }
}

// MARK: - Bytes

/// A protobuf `bytes` field: base64 on the wire whatever the coder's data strategy is.
public struct Bytes: Codable, Hashable, Sendable, CustomStringConvertible {
    public var data: Data
    public init(_ data: Data) { self.data = data }
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64) else { return nil }
        self.data = data
    }
    public var base64: String { data.base64EncodedString() }
    public var description: String { base64 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let data = Data(base64Encoded: string) ?? Self.unpaddedBase64(string) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Invalid base64")
        }
        self.data = data
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(base64)
    }

    private static func unpaddedBase64(_ string: String) -> Data? {
        var padded = string.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while padded.count % 4 != 0 { padded.append("=") }
        return Data(base64Encoded: padded)
    }
}
