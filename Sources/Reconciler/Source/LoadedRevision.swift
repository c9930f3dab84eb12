import Manifests

/// The manifests of one revision (a commit, or a folder on disk), parsed, assembled and validated.
public struct LoadedRevision: Sendable {
    /// The commit sha; nil for a folder on disk.
    public var commit: String?
    /// Manifest documents found (workloads, Defaults and Maintenance).
    public var manifestCount: Int
    /// Every problem of the revision, sorted by file, line and column. Empty: valid.
    public var problems: [ManifestError]
    /// The desired state as the planner sees it; nil when the revision is invalid.
    public var view: ClusterView?
    /// Files parsed for this load (not found in the cache).
    public var parsedFiles: Int
    /// The assembled manifests (workloads and Maintenance selectors); nil when the revision is invalid.
    public var manifests: ManifestSet?

    public var isValid: Bool { problems.isEmpty }
}
