/// The desired state a repository describes: every workload resolved, validated and hashed, the
/// Maintenance selectors, and every error of the repository sorted by file, line and column.
///
/// When `errors` is not empty the repository is invalid as a whole; `workloads` then holds only the
/// workloads that resolved without problems of their own (useful for reporting, not for applying).
public struct ManifestSet: Sendable, Hashable {
    public var workloads: [String: Workload]
    public var maintenance: [Maintenance]
    public var errors: [ManifestError]
    /// Number of non-empty documents read (all kinds).
    public var documentCount: Int

    public var isValid: Bool { errors.isEmpty }

    /// Every agent selector of every Maintenance document, in name order.
    public var decommission: [AgentSelector] { maintenance.flatMap(\.decommission) }

    public init(workloads: [String: Workload] = [:], maintenance: [Maintenance] = [], errors: [ManifestError] = [], documentCount: Int = 0) {
        self.workloads = workloads
        self.maintenance = maintenance
        self.errors = errors
        self.documentCount = documentCount
    }
}
