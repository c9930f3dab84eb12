import Reconciler

extension PlanReport {
    /// A readable diff, Terraform-like, ending with the summary line.
    func text(style: Style) -> String {
        var out = ""
        let from = base.map(shortSHA) ?? "empty cluster"
        out += style.dim("Planning \(from) -> \(shortSHA(target))") + "\n\n"
        if plan.isEmpty {
            out += "No changes. The cluster matches the target revision.\n\n"
        }
        let changes = plan.changes
        // About 36 bytes per field line: one allocation for the whole text.
        out.reserveCapacity(out.utf8.count + changes.reduce(0) { $0 + 64 + 40 * $1.fields.count })
        for change in changes {
            out += headline(change, style: style)
            out += "\n"
            // The kind is in the headline already.
            for field in change.fields where !(change.action == .create && field.path == "kind") {
                out += "    "
                appendFieldLine(field, action: change.action, style: style, to: &out)
                out += "\n"
            }
            out += "\n"
        }
        if !plan.maintenance.isEmpty {
            out += style.bold("Maintenance") + "\n"
            for change in plan.maintenance {
                let line = "\(change.action == .decommission ? "-" : "+") \(change.action.verb) agents matching \(change.selector.description)"
                out += "  " + (change.action == .decommission ? style.red(line) : style.green(line)) + "\n"
            }
            out += "\n"
        }
        out += style.bold(summaryLine) + "\n"
        if let maintenanceLine { out += style.bold(maintenanceLine) + "\n" }
        return out
    }

    private func headline(_ change: WorkloadChange, style: Style) -> String {
        let line = "\(change.action.symbol) \(change.action.rawValue) \(change.name) (\(change.kind))"
        switch change.action {
        case .create: return style.green(line)
        case .deploy: return style.yellow(line)
        case .scale: return style.cyan(line)
        case .update: return style.magenta(line + " in place")
        case .delete: return style.red(line)
        }
    }

    /// `path: after` for a create, `path: before -> after` otherwise; appended in place (a plan of
    /// 10,000 creates has about 250,000 of these lines).
    private func appendFieldLine(_ field: FieldChange, action: WorkloadChange.Action, style: Style, to out: inout String) {
        out += field.path
        out += ": "
        if action == .create {
            field.after.appendDisplay(to: &out)
            return
        }
        if style.enabled {
            out += style.red(field.before.display)
            out += " -> "
            out += style.green(field.after.display)
        } else {
            field.before.appendDisplay(to: &out)
            out += " -> "
            field.after.appendDisplay(to: &out)
        }
    }
}
