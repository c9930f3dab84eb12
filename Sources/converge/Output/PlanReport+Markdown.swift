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
        guard !change.fields.isEmpty else { return }
        out.append("<details><summary>")
        out.append(change.action.rawValue)
        out.append(" <code>")
        appendHTML(change.name, to: &out)
        out.append("</code> (")
        appendHTML(change.kind, to: &out)
        out.append("): ")
        out.append(change.fields.count)
        out.append(change.fields.count == 1 ? " field</summary>\n\n" : " fields</summary>\n\n")
        out.append("| Field | Before | After |\n|---|---|---|\n")
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
        guard s.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) else {
            // Foundation's search treats some sequences (e.g. CR LF, combining marks) as one
            // character: keep its answer for anything but plain ASCII.
            return out.append(s.replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "`", with: "'")
                .replacingOccurrences(of: "\n", with: " "))
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "|"): out.append("\\|")
            case UInt8(ascii: "`"): out.append("'")
            case UInt8(ascii: "\n"): out.append(" ")
            default: out.bytes.append(byte)
            }
        }
    }

    private static func hasCellSpecial(_ s: String) -> Bool {
        s.utf8.contains { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "\n") }
    }

    /// Escapes `&`, `<` and `>` for HTML.
    private static func appendHTML(_ s: String, to out: inout OutputBytes) {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") })
        else { return out.append(s) }
        guard s.utf8.allSatisfy({ $0 < 0x80 }) else {
            return out.append(s.replacingOccurrences(of: "&", with: "&amp;")
                .replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;"))
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append("&amp;")
            case UInt8(ascii: "<"): out.append("&lt;")
            case UInt8(ascii: ">"): out.append("&gt;")
            default: out.bytes.append(byte)
            }
        }
    }
}
