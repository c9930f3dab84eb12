import Foundation
import Manifests

/// The manifests of one revision (a commit, or a folder on disk), parsed, assembled and validated.
public struct LoadedRevision: Sendable {
    /// The commit sha; nil for a folder on disk.
    public var commit: String?
    /// Manifest documents found (workloads, Defaults and Maintenance).
    public var manifestCount: Int
    /// Every problem of the revision, sorted by file, line and column. Empty: valid.
    public var problems: [ManifestError]
    /// The desired state as the planner sees it; nil when the revision is invalid. Built (with the
    /// workloads' hashes) on first use, so validating alone does not pay for it.
    public var view: ClusterView? {
        get { desired.view }
        set { desired = DesiredView(fixed: newValue) }
    }
    /// Files parsed for this load (not found in the cache).
    public var parsedFiles: Int
    /// The assembled manifests (workloads and Maintenance selectors); nil when the revision is invalid.
    public var manifests: ManifestSet?

    var desired: DesiredView

    public var isValid: Bool { problems.isEmpty }

    init(
        commit: String?, manifestCount: Int, problems: [ManifestError], parsedFiles: Int,
        manifests: ManifestSet?
    ) {
        self.commit = commit
        self.manifestCount = manifestCount
        self.problems = problems
        self.parsedFiles = parsedFiles
        self.manifests = manifests
        self.desired = DesiredView(manifests: manifests)
    }
}

/// The planner's view of a valid revision's manifests, made once on first use.
///
/// `@unchecked Sendable` is safe: `state` is only read or written while holding `lock`, and what
/// it holds is Sendable.
final class DesiredView: @unchecked Sendable {
    private enum State {
        case pending(ManifestSet?)
        case made(ClusterView?)
    }

    private let lock = NSLock()
    private var state: State

    init(manifests: ManifestSet?) { state = .pending(manifests) }

    init(fixed view: ClusterView?) { state = .made(view) }

    var view: ClusterView? {
        lock.withLock {
            switch state {
            case .made(let view):
                return view
            case .pending(let set):
                let view = set.map(Self.make)
                state = .made(view)
                return view
            }
        }
    }

    /// Each workload's state (its hashes computed when first compared or shown), keyed as the set
    /// keys them: no name is hashed again.
    private static func make(_ set: ManifestSet) -> ClusterView {
        ClusterView(
            byName: set.workloads.mapValues(WorkloadState.init),
            maintenance: Set(set.decommission.map(MaintenanceSelector.init)))
    }
}
