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
        for change in plan.changes {
            out += headline(change, style: style) + "\n"
            // The kind is in the headline already.
            for field in change.fields where !(change.action == .create && field.path == "kind") {
                out += "    " + fieldLine(field, action: change.action, style: style) + "\n"
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

    private func fieldLine(_ field: FieldChange, action: WorkloadChange.Action, style: Style) -> String {
        if action == .create {
            return "\(field.path): \(field.after.display)"
        }
        return "\(field.path): \(style.red(field.before.display)) -> \(style.green(field.after.display))"
    }
}
