/// JSON string literals: the one escaping every plan output format uses (JSON output, and the
/// quoted string values of text and markdown output).
public enum JSONString {
    /// Appends `s` as a JSON string literal, quotes included: `"`, `\` and control characters
    /// (including DEL) escaped, `\n`, `\r`, `\t` by name and the rest as `\u00XX`.
    public static func append(_ s: String, to out: inout String) {
        // Fast path: nothing to escape (nearly every string).
        if !s.utf8.contains(where: needsEscape) {
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

    /// `s` as a JSON string literal, quotes included.
    public static func quoted(_ s: String) -> String {
        var out = ""
        append(s, to: &out)
        return out
    }

    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}
