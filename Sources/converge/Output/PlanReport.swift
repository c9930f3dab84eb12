import Reconciler

/// A plan between two revisions, as `converge plan` prints it.
struct PlanReport: Sendable {
    /// The base commit sha; nil: planned against an empty cluster.
    var base: String?
    var target: String
    var plan: Plan

    /// `Plan: 2 to create, 1 to deploy, 1 to scale, 0 to update, 1 to delete.`
    var summaryLine: String {
        let s = plan.summary
        return "Plan: \(s.create) to create, \(s.deploy) to deploy, \(s.scale) to scale, "
            + "\(s.update) to update, \(s.delete) to delete."
    }

    /// `Maintenance: 1 to decommission, 0 to bring back.`, or nil when maintenance is unchanged.
    var maintenanceLine: String? {
        let s = plan.summary
        guard s.decommission + s.recommission > 0 else { return nil }
        return "Maintenance: \(s.decommission) to decommission, \(s.recommission) to bring back."
    }
}

extension WorkloadChange.Action {
    /// The one-character marker of text and markdown output.
    var symbol: String {
        switch self {
        case .create: return "+"
        case .deploy: return "~"
        case .scale: return "^"
        case .update: return "*"
        case .delete: return "-"
        }
    }
}

extension MaintenanceChange.Action {
    var verb: String {
        switch self {
        case .decommission: return "decommission"
        case .recommission: return "bring back"
        }
    }
}

/// Short form of a commit sha for human output.
func shortSHA(_ sha: String) -> String { String(sha.prefix(12)) }
