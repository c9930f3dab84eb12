import Foundation

/// A JSON value that keeps object keys in the order they were written, so the API's documented shapes
/// print in their documented order. Rendered compactly; the client decodes with `JSONDecoder`.
public enum APIJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A number already in JSON form (a canonical decimal from a manifest, a formatted double).
    case rawNumber(String)
    case string(String)
    case array([APIJSON])
    case object([(String, APIJSON)])

    public static func == (lhs: APIJSON, rhs: APIJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.rawNumber(a), .rawNumber(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// Compact JSON text followed by a newline.
    public func rendered() -> String {
        String(decoding: bytes(), as: UTF8.self)
    }

    /// Compact JSON as UTF-8 bytes followed by a newline.
    public func bytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out)
        out.append(0x0A)
        return out
    }

    private func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: Self.nullBytes)
        case .bool(let b): out.append(contentsOf: b ? Self.trueBytes : Self.falseBytes)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .rawNumber(let n): out.append(contentsOf: n.utf8)
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                Self.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let nullBytes = Array("null".utf8)
    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20, 0x7F:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension APIJSON {
    static func optional(_ value: String?) -> APIJSON { value.map(APIJSON.string) ?? .null }
    static func optional(_ value: Int?) -> APIJSON { value.map(APIJSON.int) ?? .null }
    static func optional(_ value: Date?) -> APIJSON { value.map { .string(APIDate.format($0)) } ?? .null }
    static func date(_ value: Date) -> APIJSON { .string(APIDate.format(value)) }

    /// A field value: numbers bare when they are JSON numbers, else quoted.
    static func field(_ value: FieldValue?) -> APIJSON {
        switch value {
        case nil, .null?: .null
        case .string(let s)?: .string(s)
        case .number(let n)?: JSONNumberSyntax.isValid(n) ? .rawNumber(n) : .string(n)
        case .bool(let b)?: .bool(b)
        }
    }
}

/// Timestamps of the API: RFC 3339 in UTC with milliseconds, e.g. `2026-11-25T18:22:48.123Z`.
public enum APIDate {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    public static func format(_ date: Date) -> String { withFraction.format(date) }

    /// Parses the API's form, with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        (try? withFraction.parse(text)) ?? (try? withoutFraction.parse(text))
    }
}

/// JSON's number grammar: numbers that can be written bare.
public enum JSONNumberSyntax {
    public static func isValid(_ s: String) -> Bool {
        var chars = Array(s.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let c = chars.first, c >= 48, c <= 57 { chars.removeFirst(); n += 1 }
            return n
        }
        if chars.first == UInt8(ascii: "-") { chars.removeFirst() }
        if chars.first == UInt8(ascii: "0") {
            chars.removeFirst()
        } else if digits() == 0 {
            return false
        }
        if chars.first == UInt8(ascii: ".") {
            chars.removeFirst()
            if digits() == 0 { return false }
        }
        if chars.first == UInt8(ascii: "e") || chars.first == UInt8(ascii: "E") {
            chars.removeFirst()
            if chars.first == UInt8(ascii: "+") || chars.first == UInt8(ascii: "-") { chars.removeFirst() }
            if digits() == 0 { return false }
        }
        return chars.isEmpty
    }
}
