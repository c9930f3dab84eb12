import Foundation

/// Everything the scheduler knows about one of its tasks: a value, rebuilt from Mesos labels after a restart.
public struct TaskRecord: Sendable, Hashable {
    public var taskID: String
    public var slot: SlotID
    public var deployID: String
    public var agentID: String
    public var hostname: String
    public var ports: [Int]
    public var state: TaskState
    /// Last `TaskStatus.healthy`; nil when never reported.
    public var healthReported: Bool?
    /// The task's template declares a health check (else it counts as healthy after running a while).
    public var hasHealthCheck: Bool
    public var launchedAt: Date
    /// When the task was first seen RUNNING (nil before).
    public var runningSince: Date?
    /// When the task first counted as healthy (nil before, or after it turned unhealthy again).
    public var healthySince: Date?
    /// A kill was sent (waiting for the terminal update).
    public var killRequestedAt: Date?
    /// Last status message or reason, for `converge status`.
    public var lastMessage: String?
    /// Last Mesos status reason (`REASON_CONTAINER_LIMITATION_MEMORY` for an OOM kill), when given.
    public var lastReason: String?

    public init(
        taskID: String, slot: SlotID, deployID: String, agentID: String, hostname: String, ports: [Int] = [],
        state: TaskState = .staging, healthReported: Bool? = nil, hasHealthCheck: Bool = false, launchedAt: Date,
        runningSince: Date? = nil, healthySince: Date? = nil, killRequestedAt: Date? = nil, lastMessage: String? = nil
    ) {
        self.taskID = taskID
        self.slot = slot
        self.deployID = deployID
        self.agentID = agentID
        self.hostname = hostname
        self.ports = ports
        self.state = state
        self.healthReported = healthReported
        self.hasHealthCheck = hasHealthCheck
        self.launchedAt = launchedAt
        self.runningSince = runningSince
        self.healthySince = healthySince
        self.killRequestedAt = killRequestedAt
        self.lastMessage = lastMessage
    }

    /// Live and no kill sent: it counts toward the slot's capacity.
    public var isActive: Bool { state.isLive && killRequestedAt == nil }

    /// Healthy: the executor's check says so, or (without a check) it has been running for a while.
    public var isHealthy: Bool { isActive && healthySince != nil }
}
