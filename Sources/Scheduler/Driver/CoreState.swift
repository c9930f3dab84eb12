import Foundation
import Manifests
import Mesos

/// Everything the driver keeps between events: one value, mutated only inside the `SchedulerCore` actor.
struct CoreState: Sendable {
    var frameworkID: String?
    var connection: CoreSnapshot.Connection = .connecting
    var reconciliation = ReconciliationState()
    /// Nil until the controller's first `apply`: nothing is killed as unclaimed before.
    var desired: DesiredState?
    var services: [String: ServiceState] = [:]
    var cluster = ClusterState()
    /// Per task: what the task id and labels say (kind, fire time, attempt) and why it was killed.
    var taskInfo: [String: TaskExtras] = [:]
    var offers: [String: Offer] = [:]
    var agents: [String: KnownAgent] = [:]
    /// Converge's own decommission states (persisted); agents not listed are active.
    var agentStates: [String: AgentState] = [:]
    /// Agents Mesos announced as going away (offers with `unavailability`, inverse offers).
    var unavailableAgents: Set<String> = []
    var inverseOffers: [String: InverseOffer] = [:]
    var overrides: [Override] = []
    var suppressed = false
    /// Pending launch keys of the previous tick: new ones trigger a REVIVE.
    var lastPendingKeys: Set<String> = []
    var lastReviveAt: Date?
    var counters = CoreCounters()
    /// Task history rows not written yet (flushed once per tick).
    var pendingHistory: [String: TaskHistoryEntry] = [:]
    /// Deploy history rows not written yet, in order (flushed once per tick).
    var pendingDeploys: [DeployHistoryEntry] = []
    /// Testing hook: fire schedules replacing a Scheduled job's cron.
    var scheduleOverrides: [String: any FireSchedule] = [:]
}

/// Extra facts about a task that `TaskRecord` does not hold.
struct TaskExtras: Sendable, Hashable {
    var kind: WorkloadKind?
    var fireTime: Date?
    var attempt: Int?
    var killReason: KillReason?
    /// Kill grace period asked for (seconds), for re-sending kills.
    var killGrace: Double?
}

/// An agent as the driver knows it (from offers and `/master/state`).
struct KnownAgent: Sendable, Hashable {
    var id: String
    var hostname: String
    var attributes: [String: String]
    var total: ResourceAmounts?
}

/// First and periodic reconciliation with the master.
struct ReconciliationState: Sendable {
    /// The task set is trustworthy (the first reconciliation after the latest subscribe finished).
    var reconciled = false
    /// The master's state was read after the latest SUBSCRIBED.
    var rebuilt = false
    var startedAt: Date?
    /// Explicitly reconciled tasks that have not answered yet.
    var awaiting: Set<String> = []
    var lastRoundAt: Date?
    /// Subscriptions seen (each one starts a round).
    var subscriptions = 0
}

/// One desired service as the driver runs it.
struct ServiceState: Sendable {
    var workload: Workload
    /// Templates by deploy id (the current one and earlier ones seen since start), for falling back.
    var templates: [String: Workload] = [:]
    /// Newest first, as in the state store.
    var deploys: [DeployHistoryEntry] = []
    /// The deploy the service works toward (the workload's deploy id, or a bounce of it).
    var targetDeployID: String
    var deployStatus: DeployStatus?
    /// The current deploy's canary as last stepped.
    var canaryStatus: CanaryStatus?
    var failures = FailureRecord()
    var launchGate: LaunchGate = .open
    var pendingReason: String?
    /// The last tick's reason, kept through ticks without offers (they explain nothing new).
    var previousPendingReason: String?
    /// Job runs by task id.
    var jobRuns: [String: JobRun] = [:]
    var nextFire: Date?
    /// OnDemand triggers waiting for a place, with the task id they will launch as.
    var queuedTriggers: [QueuedTrigger] = []
    /// Arguments and environment of triggers, by fire time (for retries).
    var triggerArguments: [Date: Trigger] = [:]
    /// When the core first saw the current deploy (job kinds' `notBefore`, RunOnce's deploy start).
    var firstSeen: [String: Date] = [:]

    init(workload: Workload, targetDeployID: String) {
        self.workload = workload
        self.targetDeployID = targetDeployID
        templates[workload.deployId] = workload
    }

    func deploy(_ id: String) -> DeployHistoryEntry? { deploys.first { $0.deployID == id } }

    /// The newest succeeded deploy other than `id` whose template is known.
    func previousSucceeded(before id: String) -> DeployHistoryEntry? {
        deploys.first { $0.deployID != id && $0.outcome == .succeeded }
    }

    /// Deploys kept in memory per service (the store keeps its own retention).
    static let deploysKept = 50

    mutating func upsertDeploy(_ entry: DeployHistoryEntry) {
        if let index = deploys.firstIndex(where: { $0.deployID == entry.deployID }) {
            deploys[index] = entry
        } else {
            deploys.insert(entry, at: 0)
            if deploys.count > Self.deploysKept { deploys.removeLast(deploys.count - Self.deploysKept) }
        }
    }
}

struct QueuedTrigger: Sendable, Hashable {
    var trigger: Trigger
    var taskID: String
    var instance: Int
}
