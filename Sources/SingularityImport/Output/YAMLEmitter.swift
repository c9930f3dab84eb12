/// Writes `YAMLNode`s as block-style YAML that reads back to exactly the same values.
///
/// Strings are written plain only when no YAML reader could take them for anything else (null,
/// booleans of YAML 1.1 and 1.2, numbers, indicators, `: ` or ` #`); otherwise double-quoted with
/// escapes. Multi-line strings without other control characters become literal block scalars with
/// the chomping indicator that keeps their trailing newlines byte for byte.
public enum YAMLEmitter {
    /// One document, ending in a newline.
    public static func document(_ root: YAMLNode) -> String {
        var out = ""
        switch root {
        case .map(let entries) where !entries.isEmpty:
            writeMap(entries, indent: 0, into: &out)
        case .list(let items) where !items.isEmpty:
            writeList(items, indent: 0, into: &out)
        default:
            out += inline(root) + "\n"
        }
        return out
    }

    private static func writeMap(_ entries: [(String, YAMLNode)], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (key, value) in entries {
            out += pad + scalar(key) + ":"
            writeValue(value, indent: indent, into: &out)
        }
    }

    private static func writeList(_ items: [YAMLNode], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            out += pad + "-"
            switch item {
            case .map(let entries) where !entries.isEmpty:
                // The first entry on the dash's line, the rest aligned under it.
                var nested = ""
                writeMap(entries, indent: indent + 2, into: &nested)
                out += " " + nested.dropFirst(indent + 2)
            default:
                writeValue(item, indent: indent, into: &out)
            }
        }
    }

    /// The value after `key:` or `-`, with its line break(s).
    private static func writeValue(_ value: YAMLNode, indent: Int, into out: inout String) {
        switch value {
        case .map(let entries) where !entries.isEmpty:
            out += "\n"
            writeMap(entries, indent: indent + 2, into: &out)
        case .list(let items) where !items.isEmpty:
            out += "\n"
            writeList(items, indent: indent + 2, into: &out)
        case .string(let text) where blockEligible(text):
            out += " " + block(text, indent: indent + 2)
        default:
            out += " " + inline(value) + "\n"
        }
    }

    private static func inline(_ value: YAMLNode) -> String {
        switch value {
        case .string(let text): scalar(text)
        case .int(let number): String(number)
        case .double(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : "\(number)"
        case .bool(let flag): flag ? "true" : "false"
        case .list: "[]"
        case .map: "{}"
        }
    }

    // MARK: Scalars

    /// A single-line form of `text`: plain when safe, else double-quoted.
    static func scalar(_ text: String) -> String {
        isPlainSafe(text) ? text : doubleQuoted(text)
    }

    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x00: out += "\\0"
            case 0x00...0x1F, 0x7F...0x9F, 0xFEFF, 0x2028, 0x2029:
                out += scalar.value <= 0xFF ? "\\x" + hex(scalar.value, 2) : "\\u" + hex(scalar.value, 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, _ digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// Words that some YAML reader takes for null or a boolean (YAML 1.1 and 1.2).
    private static let reserved: Set<String> = [
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
    ]

    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if reserved.contains(text.lowercased()) { return false }
        if first == " " || last == " " || last == ":" { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        if text.contains(": ") || text.contains(" #") { return false }
        // Flow indicators would end the value inside [..] or {..}; quoting costs nothing.
        if text.contains(where: { ",[]{}".contains($0) }) { return false }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (v >= 0x7F && v <= 0x9F) || v == 0xFEFF || v == 0x2028 || v == 0x2029 || v == 0x85 {
                return false
            }
        }
        if looksNumeric(text) { return false }
        return true
    }

    /// Anything a YAML 1.1 or 1.2 reader might resolve to a number (ints, floats, hex, octal,
    /// binary, sexagesimal, .inf/.nan, underscores), erring on the side of quoting.
    private static func looksNumeric(_ text: String) -> Bool {
        let lower = text.lowercased()
        let body = lower.hasPrefix("+") || lower.hasPrefix("-") ? String(lower.dropFirst()) : lower
        if [".inf", ".nan"].contains(body) { return true }
        guard let first = body.first else { return false }
        if !(first.isASCII && (first.isNumber || first == ".")) { return false }
        let allowed = Set("0123456789abcdefxo._:+-e")
        return body.allSatisfy { allowed.contains($0) }
    }

    /// Multi-line text with no control characters but newline and tab, not starting with a space or
    /// tab (that would need an indentation indicator).
    static func blockEligible(_ text: String) -> Bool {
        guard text.contains("\n"), let first = text.unicodeScalars.first, first != " ", first != "\t", first != "\n" else {
            return false
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v == 0x0A || v == 0x09 { continue }
            if v < 0x20 || (v >= 0x7F && v <= 0x9F) || v == 0xFEFF || v == 0x2028 || v == 0x2029 { return false }
        }
        // A line of only spaces or tabs before the first content line could be read as indentation.
        return true
    }

    /// `|`, `|-` or `|+` and the lines indented by `indent`.
    private static func block(_ text: String, indent: Int) -> String {
        var trailing = 0
        for scalar in text.unicodeScalars.reversed() {
            if scalar == "\n" { trailing += 1 } else { break }
        }
        let chomp = trailing == 0 ? "-" : (trailing == 1 ? "" : "+")
        let content = text.unicodeScalars.dropLast(trailing)
        let pad = String(repeating: " ", count: indent)
        var out = "|" + chomp + "\n"
        for line in String(content).split(separator: "\n", omittingEmptySubsequences: false) {
            out += line.isEmpty ? "\n" : pad + line + "\n"
        }
        for _ in 0..<max(0, trailing - 1) { out += "\n" }
        return out
    }
}
