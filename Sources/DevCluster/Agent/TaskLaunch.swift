import Mesos

/// Everything an agent needs to run one task.
struct TaskLaunch: Sendable {
    var key: TaskKey
    var agentID: AgentID
    var info: TaskInfo
    /// The agent's hostname (a loopback address), exported as HOST.
    var host: String
    var sandbox: String
    var ports: [UInt64]
    /// The task's `mem` in MB; the memory watch ends it above this.
    var memoryLimitMB: Double?
}

/// A task's identity across the cluster: task ids are unique per framework.
struct TaskKey: Hashable, Sendable, CustomStringConvertible {
    var frameworkID: FrameworkID
    var taskID: TaskID
    var description: String { "\(frameworkID.value)/\(taskID.value)" }
}

/// A state change observed on an agent, before the master turns it into an UPDATE.
struct AgentStatusReport: Sendable {
    var key: TaskKey
    var agentID: AgentID
    var state: TaskState
    var message: String? = nil
    var reason: TaskStatus.Reason? = nil
    var healthy: Bool? = nil
    var source: TaskStatus.Source = .executor
    var executorID: ExecutorID? = nil
}

/// Why the agent is ending a task, which decides the terminal state it reports.
enum KillCause: Sendable, Equatable {
    case requested(reason: TaskStatus.Reason?)
    case healthCheck
    case memory(limitMB: Double, usedBytes: UInt64)
}
