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
        var out = ""
        write(to: &out)
        out += "\n"
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .rawNumber(let n): out += n
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                Self.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, to out: inout String) {
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
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

/// JSON's number grammar.
enum JSONNumberSyntax {
    static func isValid(_ s: String) -> Bool {
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
