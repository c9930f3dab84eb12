import Reconciler

extension PlanReport {
    /// A readable diff, Terraform-like, ending with the summary line.
    func text(style: Style) -> OutputChunks {
        var output = OutputChunks()
        var head = OutputBytes()
        let from = base.map(shortSHA) ?? "empty cluster"
        head.styled("2", style) { $0.append("Planning \(from) -> \(shortSHA(target))") }
        head.append("\n\n")
        if plan.isEmpty {
            head.append("No changes. The cluster matches the target revision.\n\n")
        }
        output.append(head)
        // About 36 bytes per field line (a plan of 10,000 creates has about 250,000 of them).
        output.append(contentsOf: Self.renderChunks(plan.changes, bytesPerField: 48) { change, _, out in
            Self.appendText(change, style: style, to: &out)
        })
        var tail = OutputBytes()
        if !plan.maintenance.isEmpty {
            tail.append(style.bold("Maintenance") + "\n")
            for change in plan.maintenance {
                let line = "\(change.action == .decommission ? "-" : "+") \(change.action.verb) agents matching \(change.selector.description)"
                tail.append("  " + (change.action == .decommission ? style.red(line) : style.green(line)) + "\n")
            }
            tail.append("\n")
        }
        tail.append(style.bold(summaryLine) + "\n")
        if let maintenanceLine { tail.append(style.bold(maintenanceLine) + "\n") }
        output.append(tail)
        return output
    }

    /// The headline, a `path: after` line per field for a create (its kind is in the headline
    /// already), `path: before -> after` otherwise, and a blank line.
    private static func appendText(_ change: WorkloadChange, style: Style, to out: inout OutputBytes) {
        out.styled(change.action.colorCode, style) { out in
            out.append(change.action.symbol)
            out.append(" ")
            out.append(change.action.rawValue)
            out.append(" ")
            out.append(change.name)
            out.append(" (")
            out.append(change.kind)
            out.append(change.action == .update ? ") in place" : ")")
        }
        out.append("\n")
        if let listing = change.createListing {
            listing.withSortedFields { fields in
                for i in 0..<fields.count {
                    let path = fields.path(i)
                    // `kind` is in the headline already.
                    if path.count == 4, path[0] == UInt8(ascii: "k"), path.elementsEqual("kind".utf8) { continue }
                    out.append("    ")
                    out.append(bytes: path)
                    out.append(": ")
                    out.appendDisplay(fields.value(i))
                    out.append("\n")
                }
            }
            out.append("\n")
            return
        }
        let create = change.action == .create
        for field in change.fields where !(create && field.path == "kind") {
            out.append("    ")
            out.append(field.path)
            out.append(": ")
            if create {
                out.appendDisplay(field.after)
            } else {
                out.styled("31", style) { $0.appendDisplay(field.before) }
                out.append(" -> ")
                out.styled("32", style) { $0.appendDisplay(field.after) }
            }
            out.append("\n")
        }
        out.append("\n")
    }
}

extension WorkloadChange.Action {
    /// The ANSI colour of the text headline: green, yellow, cyan, magenta, red.
    var colorCode: StaticString {
        switch self {
        case .create: return "32"
        case .deploy: return "33"
        case .scale: return "36"
        case .update: return "35"
        case .delete: return "31"
        }
    }
}
