import Foundation

/// A forward-only reader over JSON bytes, for the hot path of event decoding.
///
/// Every method returns nil (or false) on anything it does not understand; callers then fall back
/// to `JSONDecoder`, so this never decides what is valid JSON, only what is simple JSON.
struct JSONCursor {
    private let bytes: UnsafeRawBufferPointer
    private(set) var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// Reads an object, calling `field` for each key with the cursor at the value; `field` must
    /// consume the value and return true, or return false to give up.
    mutating func readObject(_ field: (inout JSONCursor, String) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            guard let key = readString(), consume(UInt8(ascii: ":")) else { return false }
            guard field(&self, key) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// Reads an array, calling `element` with the cursor at each element.
    mutating func readArray(_ element: (inout JSONCursor) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        while true {
            guard element(&self) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]"))
        }
    }

    /// True (and consumed) when the next value is `null`.
    mutating func readNull() -> Bool {
        guard peek() == UInt8(ascii: "n"), index + 4 <= bytes.count,
              bytes[index + 1] == UInt8(ascii: "u"), bytes[index + 2] == UInt8(ascii: "l"),
              bytes[index + 3] == UInt8(ascii: "l") else { return false }
        index += 4
        return true
    }

    mutating func readBool() -> Bool? {
        guard let first = peek() else { return nil }
        if first == UInt8(ascii: "t"), index + 4 <= bytes.count, bytes[index + 3] == UInt8(ascii: "e") {
            index += 4
            return true
        }
        if first == UInt8(ascii: "f"), index + 5 <= bytes.count, bytes[index + 4] == UInt8(ascii: "e") {
            index += 5
            return false
        }
        return nil
    }

    /// A JSON number (not a numeric string: those go to the fallback).
    mutating func readNumber() -> Double? {
        skipWhitespace()
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                return parseDouble(start, index)
            }
        }
        return parseDouble(start, index)
    }

    private func parseDouble(_ start: Int, _ end: Int) -> Double? {
        guard end > start, end - start < 40 else { return nil }
        return Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
    }

    /// A string with escapes resolved.
    mutating func readString() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        var hasEscape = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                return hasEscape ? Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                hasEscape = true
                index += 2
                continue
            }
            if byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    private static func unescape(_ raw: UnsafeRawBufferPointer) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            guard i + 1 < raw.count else { return nil }
            let escaped = raw[i + 1]
            i += 2
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(raw, i) else { return nil }
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    guard i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                          let low = hex4(raw, i + 2), (0xDC00..<0xE000).contains(low) else { return nil }
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex4(_ raw: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
        guard at + 4 <= raw.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let c = raw[at + offset]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }

    /// `{"value": "..."}` (extra keys are ignored, like the Codable path).
    mutating func readIDValue() -> String? {
        var value: String?
        let ok = readObject { cursor, key in
            if key == "value" {
                value = cursor.readString()
                return value != nil
            }
            return cursor.skipValue()
        }
        return ok ? value : nil
    }

    /// Skips any value.
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < 64, let first = peek() else { return false }
        switch first {
        case UInt8(ascii: "\""): return readString() != nil
        case UInt8(ascii: "{"): return readObject { cursor, _ in cursor.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): return readArray { $0.skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return readBool() != nil
        case UInt8(ascii: "n"): return readNull()
        default: return readNumber() != nil
        }
    }
}
