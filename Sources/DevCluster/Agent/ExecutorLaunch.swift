import Mesos

/// An executor's identity: executor ids are unique per framework on one agent.
struct ExecutorKey: Hashable, Sendable, CustomStringConvertible {
    var agentID: AgentID
    var frameworkID: FrameworkID
    var executorID: ExecutorID
    var description: String { "\(frameworkID.value)/\(executorID.value)@\(agentID.value)" }
}

/// Everything an agent needs to start one custom executor process.
struct ExecutorLaunch: Sendable {
    var key: ExecutorKey
    var info: ExecutorInfo
    /// The run's sandbox, `.../executors/EX/runs/CONTAINER`.
    var directory: String
    var environment: [String: String]
    /// The container's hard memory limit in MB (executor + its tasks); nil or 0: none.
    var memoryLimitMB: Double?
}

/// How an executor process ended, as the master reports it (FAILURE status = the raw wait status).
struct ExecutorExit: Sendable {
    var key: ExecutorKey
    var waitStatus: Int32
    /// Set when the agent killed it for going over its memory limit: (limit MB, bytes used).
    var memory: (limitMB: Double, usedBytes: UInt64)?
    /// Set when it could not be started at all.
    var launchError: String?
}
