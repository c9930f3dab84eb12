import Foundation
import Manifests
import Scheduler

/// Where the controller reads its desired state from.
public struct SourceDescription: Sendable, Hashable {
    /// The repository, credentials removed.
    public var repository: String
    /// The branch, tag or sha pinned (nil for a plain folder).
    public var ref: String?
    public var path: String?

    public init(repository: String, ref: String?, path: String?) {
        self.repository = repository
        self.ref = ref
        self.path = path
    }
}

/// A value copy of everything the controller knows: what the status API, metrics and `converge apply` show.
public struct ControllerState: Sendable {
    public var source: SourceDescription
    /// The last good revision: in force on the cluster.
    public var appliedRevision: String?
    /// Its workloads (what the core was handed).
    public var desired: [String: Workload]
    /// The newest revision seen at the source (may be invalid and rejected).
    public var latestRevision: String?
    public var lastSync: SyncRecord?
    /// Newest first, bounded.
    public var history: [SyncRecord]
    public var core: CoreSnapshot
    /// The current diff: the applied revision against the actual state.
    public var plan: Plan
    /// The core subscribed and reconciled, and a first sync happened.
    public var ready: Bool
    /// Git fetch errors since start.
    public var fetchErrors: Int
    /// The Maintenance selectors the core honours (the applied revision's), for `GET /api/v1/actual`.
    /// Not in `init`: set it after building the value.
    public var maintenance: Set<MaintenanceSelector> = []

    public init(source: SourceDescription, appliedRevision: String?, desired: [String: Workload], latestRevision: String?,
                lastSync: SyncRecord?, history: [SyncRecord], core: CoreSnapshot, plan: Plan, ready: Bool, fetchErrors: Int) {
        self.source = source
        self.appliedRevision = appliedRevision
        self.desired = desired
        self.latestRevision = latestRevision
        self.lastSync = lastSync
        self.history = history
        self.core = core
        self.plan = plan
        self.ready = ready
        self.fetchErrors = fetchErrors
    }
}

/// What the HTTP API and the CLI can ask of a running controller.
public protocol ControllerHandle: Sendable {
    func state() async -> ControllerState
    /// Fetches the source and syncs now; returns the sync's record once the desired set is handed over.
    func sync(trigger: SyncRecord.Trigger) async -> SyncRecord
    func setOverride(_ override: Override) async throws
    func removeOverride(service: String, kind: Override.Kind) async throws
    func trigger(service: String, arguments: [String], environment: [String: String]) async throws -> String
    /// Promotes the canary of a service's current deploy (holding or waiting for promotion).
    func promote(service: String) async throws -> DeployHistoryEntry
    /// Aborts the canary of a service's current deploy: canaries killed, the old deploy keeps running.
    func abortCanary(service: String) async throws -> DeployHistoryEntry
}
