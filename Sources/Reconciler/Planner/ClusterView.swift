/// One side of a plan: the workloads and maintenance selectors that run, or should run.
///
/// The desired side comes from a revision's manifests. The actual side comes, for `converge plan`,
/// from a base revision (or is empty), and for the controller from the scheduler's view of Mesos:
/// the deploy id and request hash are carried as task labels, so they can be rebuilt from the master.
public struct ClusterView: Sendable, Equatable {
    public var workloads: [String: WorkloadState]
    /// Maintenance selectors in force (desired side) or being honoured (actual side).
    public var maintenance: Set<MaintenanceSelector>
    /// Agents known to be decommissioned (actual side only; informational, used to report which
    /// agents a maintenance change affects).
    public var decommissionedAgents: [String]

    public init(
        workloads: [WorkloadState] = [], maintenance: Set<MaintenanceSelector> = [],
        decommissionedAgents: [String] = []
    ) {
        var byName: [String: WorkloadState] = [:]
        for workload in workloads { byName[workload.name] = workload }
        self.workloads = byName
        self.maintenance = maintenance
        self.decommissionedAgents = decommissionedAgents
    }

    /// Workloads already keyed by their names.
    public init(byName workloads: [String: WorkloadState], maintenance: Set<MaintenanceSelector> = []) {
        self.workloads = workloads
        self.maintenance = maintenance
        self.decommissionedAgents = []
    }

    /// Nothing runs: the base of `converge plan` without `--base`.
    public static let empty = ClusterView()
}

/// An agent selector of a `Maintenance` document: a hostname, or a set of attributes that must all match.
public enum MaintenanceSelector: Sendable, Hashable, Comparable {
    case hostname(String)
    case attributes([String: String])

    /// A stable one-line form: `hostname=agent-3` or `rack=r7,zone=a`.
    public var description: String {
        switch self {
        case .hostname(let host): return "hostname=\(host)"
        case .attributes(let attributes):
            return attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
    }

    public static func < (lhs: MaintenanceSelector, rhs: MaintenanceSelector) -> Bool {
        switch (lhs, rhs) {
        case (.hostname, .attributes): return true
        case (.attributes, .hostname): return false
        default: return lhs.description < rhs.description
        }
    }
}
