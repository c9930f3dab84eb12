import Foundation

/// The deploy a service should run, with its request settings (from the manifest plus overrides).
public struct DeploySpec: Sendable, Hashable {
    public var deployID: String
    public var instances: Int
    /// New instances started per step of a rolling deploy.
    public var stepSize: Int
    /// Pause after a step's instances turned healthy before the next step.
    public var stepWaitSeconds: Double
    /// A deploy not fully healthy this long after it started fails; the previous deploy keeps running.
    public var healthyDeadlineSeconds: Double
    public var startedAt: Date
    /// The deploy succeeded earlier: steady state (scale, replace, no deadline).
    public var isComplete: Bool

    public init(
        deployID: String, instances: Int, stepSize: Int = 1, stepWaitSeconds: Double = 0, healthyDeadlineSeconds: Double = 120,
        startedAt: Date, isComplete: Bool = false
    ) {
        self.deployID = deployID
        self.instances = instances
        self.stepSize = stepSize
        self.stepWaitSeconds = stepWaitSeconds
        self.healthyDeadlineSeconds = healthyDeadlineSeconds
        self.startedAt = startedAt
        self.isComplete = isComplete
    }

    public var deadline: Date { startedAt.addingTimeInterval(healthyDeadlineSeconds) }
}

/// Why the scheduler kills a task: recorded in task history and shown by `converge status`.
public enum KillReason: String, Sendable, Hashable, CaseIterable {
    /// More instances than desired: the highest instance numbers go (decommissioning agents first).
    case scaleDown
    /// A healthy instance of the new deploy took over its capacity.
    case replacedByDeploy
    /// An instance of a superseded deploy that is not healthy: it carries no capacity.
    case unhealthyOldDeploy
    /// The deploy failed; its instances go, the previous deploy keeps running.
    case deployFailed
    /// A second task in one slot (a replacement elsewhere, a task back from a partition) once one is healthy.
    case duplicateInSlot
    /// A job run exceeded its time limit.
    case timeLimit
    /// The service is gone from the desired state.
    case serviceRemoved
    /// A canary of a deploy that was aborted (by hand or because a canary failed).
    case canaryAborted
}

/// One kill order.
public struct TaskKill: Sendable, Hashable {
    public var taskID: String
    public var agentID: String
    public var slot: SlotID
    public var reason: KillReason

    public init(taskID: String, agentID: String, slot: SlotID, reason: KillReason) {
        self.taskID = taskID
        self.agentID = agentID
        self.slot = slot
        self.reason = reason
    }

    init(_ task: TaskRecord, _ reason: KillReason) {
        self.init(taskID: task.taskID, agentID: task.agentID, slot: task.slot, reason: reason)
    }
}

/// Where a deploy stands after a step.
public enum DeployStatus: Sendable, Hashable {
    /// Instances of the deploy are starting or old ones are being replaced.
    case inProgress(healthy: Int, desired: Int)
    /// Nothing to do until this time (step wait, launch backoff).
    case waiting(until: Date, healthy: Int, desired: Int)
    /// Every slot runs a healthy instance of the deploy, no older instance is left and nothing needs a kill.
    case succeeded
    /// Past the healthy deadline: the deploy's instances are killed, the previous deploy keeps running.
    case failed(reason: String)
}

/// What to do next for one service: a flat value, executed by the driver.
public struct DeployStep: Sendable, Hashable {
    /// Slots to launch a task of the desired deploy in (placement decides where).
    public var launches: [SlotID] = []
    public var kills: [TaskKill] = []
    public var status: DeployStatus
    /// Evaluate again no later than this (deadline, end of a step wait, end of a backoff).
    public var nextCheckAt: Date?
}
