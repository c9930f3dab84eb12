import Foundation
import Logging
import Manifests
import Scheduler

/// The reconciler: keeps the cluster at the source's revision, level-triggered.
///
/// Each sync reads the source, plans the revision against what the scheduler core runs, applies prune
/// safety and hands the whole desired set to the core; the core corrects drift on its own (lost tasks,
/// expired overrides, tasks killed by hand) because it always holds the full desired set. Bad input never
/// reaches the cluster: an invalid revision is rejected whole and an unreadable source changes nothing.
public actor Controller: ControllerHandle {
    public let configuration: ControllerConfiguration
    public let core: SchedulerCore
    let reader: SourceReader
    let pruneGuard: PruneGuard
    let logger: Logger
    /// Called after every recorded sync with its duration (metrics).
    let onSync: (@Sendable (SyncRecord, TimeInterval) -> Void)?

    /// The last good revision, in force.
    var applied: DesiredState?
    var records: ControllerRecords
    var latestRevision: String?
    var fetchErrors = 0
    var coreStarted = false
    var pendingTrigger: SyncRecord.Trigger?
    var nextPollAt = Date.distantPast

    public init(configuration: ControllerConfiguration, core: SchedulerCore, logger: Logger = Logger(label: "converge.controller"),
                onSync: (@Sendable (SyncRecord, TimeInterval) -> Void)? = nil) throws {
        self.configuration = configuration
        self.core = core
        self.reader = SourceReader(source: configuration.source)
        self.pruneGuard = PruneGuard(prune: configuration.prune, maxDeleteShare: configuration.maxDeleteShare,
                                     allowMassDelete: configuration.allowMassDelete)
        self.logger = logger
        self.onSync = onSync
        self.records = try configuration.stateDirectory.map(ControllerRecords.load(from:)) ?? ControllerRecords()
    }

    /// Syncs at once, then on every poll interval and whenever `requestSync` asks, until cancelled.
    /// Between syncs it follows convergence (a progressing sync turns synced or degraded).
    public func run() async {
        await restoreLastGood()
        _ = await sync(trigger: .start)
        if !coreStarted, let applied {
            // The source is unreadable or invalid now: the last good revision stays in force.
            await core.apply(applied)
            await core.start()
            coreStarted = true
        }
        while !Task.isCancelled {
            let now = Date()
            if let trigger = pendingTrigger {
                pendingTrigger = nil
                _ = await sync(trigger: trigger)
            } else if now >= nextPollAt {
                _ = await sync(trigger: configuration.source.isFolder ? .watch : .poll)
            }
            await observe()
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Asks the running loop for a sync soon (webhook, API); returns at once.
    public nonisolated func requestSync(trigger: SyncRecord.Trigger) {
        Task { await self.setPending(trigger) }
    }

    func setPending(_ trigger: SyncRecord.Trigger) {
        pendingTrigger = trigger
    }

    public func state() async -> ControllerState {
        let snapshot = await core.snapshot()
        let ready = coreStarted && snapshot.reconciled && snapshot.connection == .subscribed && applied != nil
        var state = ControllerState(
            source: configuration.source.description, appliedRevision: applied?.revision, desired: applied?.workloads ?? [:],
            latestRevision: latestRevision, lastSync: records.history.first, history: records.history, core: snapshot,
            plan: currentPlan(snapshot), ready: ready, fetchErrors: fetchErrors)
        state.maintenance = Set((applied?.decommission ?? []).map(MaintenanceSelector.init))
        return state
    }

    /// The applied revision against the actual state: what still has to happen (drift included).
    func currentPlan(_ snapshot: CoreSnapshot) -> Plan {
        guard let applied else { return Plan() }
        let desired = ClusterView(
            workloads: applied.workloads.values.map(WorkloadState.init),
            maintenance: Set(applied.decommission.map(MaintenanceSelector.init)))
        return Planner.plan(desired: desired, actual: ClusterView(actual: snapshot, maintenance: applied.decommission))
    }

    public func setOverride(_ override: Override) async throws {
        try await core.setOverride(override)
    }

    public func removeOverride(service: String, kind: Override.Kind) async throws {
        try await core.removeOverride(service: service, kind: kind)
    }

    public func trigger(service: String, arguments: [String], environment: [String: String]) async throws -> String {
        try await core.trigger(service: service, arguments: arguments, environment: environment)
    }

    public func promote(service: String) async throws -> DeployHistoryEntry {
        try await core.promote(service: service)
    }

    public func abortCanary(service: String) async throws -> DeployHistoryEntry {
        try await core.abortCanary(service: service)
    }

    /// Shuts the core down (tasks keep running) and saves the records.
    public func shutdown() async {
        await core.shutdown()
        saveRecords()
    }
}

extension ManifestSource {
    var isFolder: Bool {
        if case .folder = self { return true }
        return false
    }
}
