import Foundation
import Reconciler

extension PlanReport {
    /// Markdown for a pull-request comment: a summary line, a table, collapsible details per change.
    var markdown: OutputChunks {
        var output = OutputChunks()
        var head = OutputBytes()
        head.append("### Converge plan\n\n")
        let from = base.map { "`\(shortSHA($0))`" } ?? "an empty cluster"
        head.append("Planning \(from) → `\(shortSHA(target))`\n\n")
        head.append("**\(summaryLine)**")
        if let maintenanceLine { head.append(" **\(maintenanceLine)**") }
        head.append("\n\n")
        if plan.isEmpty {
            head.append("No changes.\n")
            output.append(head)
            return output
        }
        let changes = plan.changes
        if !changes.isEmpty {
            head.append("| | Action | Workload | Kind | Changed fields |\n")
            head.append("|---|---|---|---|---|\n")
            output.append(head)
            head = OutputBytes()
            output.append(contentsOf: Self.renderChunks(changes, bytesPerField: 0) { change, _, out in
                Self.appendRow(change, to: &out)
            })
            var gap = OutputBytes()
            gap.append("\n")
            output.append(gap)
            output.append(contentsOf: Self.renderChunks(changes, bytesPerField: 64) { change, _, out in
                Self.appendDetails(change, to: &out)
            })
        }
        if !plan.maintenance.isEmpty {
            head.append("#### Maintenance\n\n")
            for change in plan.maintenance {
                head.append("- \(change.action.verb) agents matching `")
                Self.appendCell(change.selector.description, to: &head)
                head.append("`\n")
            }
            head.append("\n")
        }
        output.append(head)
        return output
    }

    /// `| + | create | `web` | Service |  |`: the changed field paths only for a deploy, scale or update.
    private static func appendRow(_ change: WorkloadChange, to out: inout OutputBytes) {
        out.append("| ")
        out.append(change.action.symbol)
        out.append(" | ")
        out.append(change.action.rawValue)
        out.append(" | `")
        appendCell(change.name, to: &out)
        out.append("` | ")
        appendCell(change.kind, to: &out)
        out.append(" | ")
        if change.action != .create && change.action != .delete {
            for (i, field) in change.fields.enumerated() {
                out.append(i == 0 ? "`" : ", `")
                appendCell(field.path, to: &out)
                out.append("`")
            }
        }
        out.append(" |\n")
    }

    /// A `<details>` block with a before/after table, for a change with fields.
    private static func appendDetails(_ change: WorkloadChange, to out: inout OutputBytes) {
        if let listing = change.createListing {
            return listing.withSortedFields { fields in
                guard fields.count > 0 else { return }
                appendSummary(change, count: fields.count, to: &out)
                for i in 0..<fields.count {
                    out.append("| `")
                    appendCell(bytes: fields.path(i), to: &out)
                    out.append("` | _(none)_ | `")
                    switch fields.value(i) {
                    case .string(let s):
                        if hasCellSpecial(bytes: s) {
                            appendCell(FieldValue.string(String(decoding: s, as: UTF8.self)).display, to: &out)
                        } else {
                            out.appendJSONString(bytes: s)
                        }
                    case .number(let n): out.append(bytes: n)
                    case .bool(let b): out.append(b ? "true" : "false")
                    case .masked: out.append("\"(sensitive)\"")
                    }
                    out.append("` |\n")
                }
                out.append("\n</details>\n\n")
            }
        }
        guard !change.fields.isEmpty else { return }
        appendSummary(change, count: change.fields.count, to: &out)
        for field in change.fields {
            out.append("| `")
            appendCell(field.path, to: &out)
            out.append("` | ")
            appendCode(field.before, to: &out)
            out.append(" | ")
            appendCode(field.after, to: &out)
            out.append(" |\n")
        }
        out.append("\n</details>\n\n")
    }

    /// The `<summary>` line and the table head of a details block.
    private static func appendSummary(_ change: WorkloadChange, count: Int, to out: inout OutputBytes) {
        out.append("<details><summary>")
        out.append(change.action.rawValue)
        out.append(" <code>")
        appendHTML(change.name, to: &out)
        out.append("</code> (")
        appendHTML(change.kind, to: &out)
        out.append("): ")
        out.append(count)
        out.append(count == 1 ? " field</summary>\n\n" : " fields</summary>\n\n")
        out.append("| Field | Before | After |\n|---|---|---|\n")
    }

    /// `_(none)_`, or the displayed value as a code span.
    private static func appendCode(_ value: FieldValue?, to out: inout OutputBytes) {
        guard let value else { return out.append("_(none)_") }
        out.append("`")
        switch value {
        case .string(let s):
            // The JSON literal holds a `|` or a backtick only where `s` does: build it only then.
            if hasCellSpecial(s) {
                appendCell(value.display, to: &out)
            } else {
                out.appendJSONString(s)
            }
        default:
            appendCell(value.display, to: &out)
        }
        out.append("`")
    }

    /// Escapes what would break a table cell or a code span: `|` as `\|`, a backtick as `'`, a
    /// newline as a space.
    private static func appendCell(_ s: String, to out: inout OutputBytes) {
        // Fast path: most names and values hold none of the escaped characters.
        guard hasCellSpecial(s) else { return out.append(s) }
        appendEscaping(s, cellEscapes, byteWise: { $0 < 0x80 && $0 != UInt8(ascii: "\r") }, to: &out)
    }

    private static let cellEscapes: [(byte: UInt8, text: String)] = [
        (UInt8(ascii: "|"), "\\|"), (UInt8(ascii: "`"), "'"), (UInt8(ascii: "\n"), " "),
    ]

    /// Appends `s` with each byte of `escapes` replaced by its text, in one pass when every byte
    /// of `s` passes `byteWise`; otherwise through Foundation's search, which treats some sequences
    /// (e.g. CR LF, combining marks) as one character, as the output always has.
    private static func appendEscaping(
        _ s: String, _ escapes: [(byte: UInt8, text: String)], byteWise: (UInt8) -> Bool, to out: inout OutputBytes
    ) {
        guard s.utf8.allSatisfy(byteWise) else {
            var escaped = s
            for escape in escapes {
                escaped = escaped.replacingOccurrences(of: String(UnicodeScalar(escape.byte)), with: escape.text)
            }
            return out.append(escaped)
        }
        for byte in s.utf8 {
            if let escape = escapes.first(where: { $0.byte == byte }) {
                out.append(escape.text)
            } else {
                out.append(byte: byte)
            }
        }
    }

    private static func hasCellSpecial(_ s: String) -> Bool {
        s.utf8.contains { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "\n") }
    }

    private static func hasCellSpecial(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "\n") }
    }

    /// `appendCell` for UTF-8 bytes.
    private static func appendCell(bytes: UnsafeBufferPointer<UInt8>, to out: inout OutputBytes) {
        if hasCellSpecial(bytes: bytes) {
            appendCell(String(decoding: bytes, as: UTF8.self), to: &out)
        } else {
            out.append(bytes: bytes)
        }
    }

    /// Escapes `&`, `<` and `>` for HTML.
    private static func appendHTML(_ s: String, to out: inout OutputBytes) {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") })
        else { return out.append(s) }
        appendEscaping(s, htmlEscapes, byteWise: { $0 < 0x80 }, to: &out)
    }

    private static let htmlEscapes: [(byte: UInt8, text: String)] = [
        (UInt8(ascii: "&"), "&amp;"), (UInt8(ascii: "<"), "&lt;"), (UInt8(ascii: ">"), "&gt;"),
    ]
}
