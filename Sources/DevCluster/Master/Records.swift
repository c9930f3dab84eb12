import Foundation
import Mesos

/// An agent as the master tracks it.
struct AgentRecord: Sendable {
    enum Mode: String, Sendable {
        case active, deactivated, draining, drained
    }

    let id: AgentID
    let index: Int
    let spec: AgentSpec
    let hostname: String
    /// Port of the agent's /files and /state endpoints.
    var port: Int
    var total: ResourceBag
    var used = ResourceBag.empty
    var offered = ResourceBag.empty
    var mode: Mode = .active
    /// Stopped by fault injection: not connected, tasks lost or unreachable.
    var stoppedAt: Date?
    var unreachable = false
    /// Partitioned (fault injection): disconnected, but its task processes keep running.
    var partitioned = false
    /// Removed by maintenance (machine DOWN) or marked gone.
    var down = false
    var registeredTime: Double
    var reregisteredTime: Double?
    var drainGracePeriod: Double?

    var available: ResourceBag { total - used - offered }
    var isConnected: Bool { stoppedAt == nil && !down }
    var acceptsOffers: Bool { isConnected && mode == .active }

    var attributes: [Attribute] {
        spec.attributes.sorted { $0.key < $1.key }.map { key, value in
            if let number = Double(value), !value.isEmpty, value.allSatisfy({ $0.isNumber || $0 == "." }) {
                return .scalar(key, number)
            }
            return .text(key, value)
        }
    }
}

/// A status update awaiting the framework's acknowledgement (the latest one per task).
struct PendingUpdate: Sendable {
    var status: TaskStatus
    var nextRetry: Date
    var backoff: Double
}

/// A task as the master tracks it.
struct TaskRecord: Sendable {
    let key: TaskKey
    let agentID: AgentID
    let info: TaskInfo
    let resources: ResourceBag
    let sandbox: String
    /// Set for tasks run by a custom executor.
    var executorID: ExecutorID? = nil
    var state: TaskState = .staging
    /// The latest few statuses, oldest first (Mesos keeps them for /master/state).
    var statuses: [TaskStatus] = []
    var latest: TaskStatus?
    var pending: PendingUpdate?
    var unreachableSince: Date?
    var resourcesReleased = false
    /// The latest agent report held back while the agent was partitioned.
    var heldReport: AgentStatusReport?

    mutating func record(_ status: TaskStatus) {
        latest = status
        state = status.state
        statuses.append(status)
        if statuses.count > 6 { statuses.removeFirst(statuses.count - 6) }
    }
}

/// A refuse filter: the framework declined `resources` on this agent until `until`.
struct RefuseFilter: Sendable {
    var resources: ResourceBag
    var until: Date
}

/// An outstanding offer.
struct OfferRecord: Sendable {
    let id: OfferID
    let frameworkID: FrameworkID
    let agentID: AgentID
    let resources: ResourceBag
    let created: Date
}

/// An outstanding inverse offer (maintenance).
struct InverseOfferRecord: Sendable {
    let id: OfferID
    let frameworkID: FrameworkID
    let agentID: AgentID
    let unavailability: Unavailability
    var answered: Bool? = nil
}

/// A framework as the master tracks it.
struct FrameworkRecord: Sendable {
    let id: FrameworkID
    var info: FrameworkInfo
    var stream: EventStream?
    var registeredTime: Double
    var reregisteredTime: Double?
    var unregisteredTime: Double?
    var disconnectedAt: Date?
    var suppressedRoles: Set<String> = []
    var suppressedAll = false
    var filters: [AgentID: RefuseFilter] = [:]
    var inverseFilters: [AgentID: Date] = [:]
    var tasks: Set<TaskKey> = []
    var completedTasks: [TaskRecord] = []

    var connected: Bool { stream != nil }
    var partitionAware: Bool { info.has(.partitionAware) }
    var taskKillingState: Bool { info.has(.taskKillingState) }
    var role: String { info.roles.first ?? info.role ?? "*" }
    var failoverTimeout: Double { max(0, info.failoverTimeout ?? 0) }

    /// TASK_LOST for frameworks that cannot handle the partition-aware states.
    func visible(_ state: TaskState) -> TaskState {
        if !partitionAware, state.isPartitionAwareOnly { return .lost }
        return state
    }
}

/// A custom executor as its agent tracks it (MESOS-EXECUTOR.md section 1).
struct ExecutorRecord: Sendable {
    let key: ExecutorKey
    /// As launched, with `framework_id` filled in.
    var info: ExecutorInfo
    let containerID: String
    /// `.../executors/EX/runs/CONTAINER`
    let directory: String
    /// The executor's own resources (its tasks' are on their records).
    let resources: ResourceBag
    let launchedAt: Date
    var stream: EventStream?
    var processStarted = false
    var pid: Int32?
    /// It subscribed at least once (UPDATE and MESSAGE need that).
    var subscribed = false
    /// Tasks waiting for the executor to subscribe.
    var queued: [TaskInfo] = []
    /// Tasks sent in a LAUNCH that the executor has not sent an update for yet.
    var staging: Set<TaskID> = []
    /// Every task given to it, for /state.
    var taskIDs: [TaskID] = []
    var everLaunchedTask = false
    /// Forwarded update uuids the framework has not acknowledged yet, per task.
    var unacknowledged: [TaskID: [Bytes]] = [:]
    /// SHUTDOWN sent: killed at this time unless it exits first.
    var killAt: Date?
    var shuttingDown = false
    var registrationTimedOut = false
    var killedByAgentRestart = false
    var exitStatus: Int32?
}
