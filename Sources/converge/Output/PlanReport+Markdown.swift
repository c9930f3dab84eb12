import Foundation
import Reconciler

extension PlanReport {
    /// Markdown for a pull-request comment: a summary line, a table, collapsible details per change.
    var markdown: String {
        var out = "### Converge plan\n\n"
        let from = base.map { "`\(shortSHA($0))`" } ?? "an empty cluster"
        out += "Planning \(from) → `\(shortSHA(target))`\n\n"
        out += "**\(summaryLine)**"
        if let maintenanceLine { out += " **\(maintenanceLine)**" }
        out += "\n\n"
        if plan.isEmpty {
            out += "No changes.\n"
            return out
        }
        if !plan.changes.isEmpty {
            out += "| | Action | Workload | Kind | Changed fields |\n"
            out += "|---|---|---|---|---|\n"
            for change in plan.changes {
                let fields = change.action == .create || change.action == .delete
                    ? "" : change.fields.map { "`\(cell($0.path))`" }.joined(separator: ", ")
                out += "| \(change.action.symbol) | \(change.action.rawValue) | `\(cell(change.name))` | \(cell(change.kind)) | \(fields) |\n"
            }
            out += "\n"
            for change in plan.changes where !change.fields.isEmpty {
                out += "<details><summary>\(change.action.rawValue) <code>\(html(change.name))</code> (\(html(change.kind))): \(change.fields.count) field\(change.fields.count == 1 ? "" : "s")</summary>\n\n"
                out += "| Field | Before | After |\n|---|---|---|\n"
                for field in change.fields {
                    out += "| `\(cell(field.path))` | \(code(field.before)) | \(code(field.after)) |\n"
                }
                out += "\n</details>\n\n"
            }
        }
        if !plan.maintenance.isEmpty {
            out += "#### Maintenance\n\n"
            for change in plan.maintenance {
                out += "- \(change.action.verb) agents matching `\(cell(change.selector.description))`\n"
            }
            out += "\n"
        }
        return out
    }

    private func code(_ value: FieldValue?) -> String {
        guard let value else { return "_(none)_" }
        return "`\(cell(value.display))`"
    }

    /// Escapes what would break a table cell or a code span.
    private func cell(_ s: String) -> String {
        // Fast path: most names and values hold none of the escaped characters.
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "\n") })
        else { return s }
        return s.replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "`", with: "'")
            .replacingOccurrences(of: "\n", with: " ")
    }

    private func html(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") })
        else { return s }
        return s.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
