import Manifests

/// Everything the controller wants running: the full set, handed over on every sync (level-triggered).
/// Services missing from `workloads` are stopped; the core never keeps anything the set does not name.
public struct DesiredState: Sendable, Hashable {
    /// The git revision the set comes from (task label `commit`, deploy history).
    public var revision: String?
    public var workloads: [String: Workload]
    /// Agents to move every task off and keep empty (Maintenance documents).
    public var decommission: [DecommissionSelector]

    public init(revision: String?, workloads: [String: Workload], decommission: [DecommissionSelector] = []) {
        self.revision = revision
        self.workloads = workloads
        self.decommission = decommission
    }

    public init(revision: String?, manifests: ManifestSet) {
        self.init(revision: revision, workloads: manifests.workloads,
                  decommission: manifests.decommission.map(DecommissionSelector.init))
    }
}

extension DecommissionSelector {
    public init(_ selector: AgentSelector) {
        switch selector {
        case .hostname(let hostname): self.init(hostname: hostname)
        case .attributes(let attributes): self.init(attributes: attributes)
        }
    }
}
