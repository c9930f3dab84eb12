import Reconciler

/// Output built as UTF-8 bytes in one growing buffer: a plan of 10,000 creates is about 9 MB of
/// text, which `String` appends (with their per-append checks) make several times slower to build.
struct OutputBytes: Sendable {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    @inline(__always)
    mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ n: Int) { append(String(n)) }

    mutating func spaces(_ count: Int) {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
    }

    /// `s` as a JSON string literal, quotes included: the bytes `JSONString.append` produces (every
    /// escaped character is ASCII, so escaping byte by byte equals escaping scalar by scalar).
    mutating func appendJSONString(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            var clean = 0
            for (i, byte) in utf8.enumerated() where Self.needsEscape(byte) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<i]))
                clean = i + 1
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case UInt8(ascii: "\n"): append("\\n")
                case UInt8(ascii: "\r"): append("\\r")
                case UInt8(ascii: "\t"): append("\\t")
                default:
                    append("\\u00")
                    bytes.append(Self.hex[Int(byte >> 4)])
                    bytes.append(Self.hex[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean...]))
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// A field value as text and markdown show it (`FieldValue.display`); `(none)` when absent.
    mutating func appendDisplay(_ value: FieldValue?) {
        switch value {
        case .string(let s)?: appendJSONString(s)
        case .number(let n)?: append(n)
        case .bool(let b)?: append(b ? "true" : "false")
        case .null?: append("null")
        case nil: append("(none)")
        }
    }

    /// `body` between the ANSI codes of `color` (e.g. "32"), or bare when `style` is off: what
    /// `Style.green(_:)` and the like produce.
    @inline(__always)
    mutating func styled(_ color: StaticString, _ style: Style, _ body: (inout OutputBytes) -> Void) {
        if style.enabled {
            append("\u{1B}[")
            append(color)
            append("m")
        }
        body(&self)
        if style.enabled { append("\u{1B}[0m") }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}
