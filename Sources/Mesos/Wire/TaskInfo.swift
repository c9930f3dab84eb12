/// A task to launch (inside an ACCEPT's LAUNCH operation).
public struct TaskInfo: Codable, Hashable, Sendable {
    public var name: String
    public var taskID: TaskID
    public var agentID: AgentID
    @Repeated public var resources: [Resource]
    public var executor: ExecutorInfo?
    public var command: CommandInfo?
    public var container: ContainerInfo?
    public var healthCheck: HealthCheck?
    public var killPolicy: KillPolicy?
    public var data: Bytes?
    public var labels: Labels?
    public var discovery: DiscoveryInfo?
    public var maxCompletionTime: DurationInfo?

    enum CodingKeys: String, CodingKey {
        case name, taskID = "task_id", agentID = "agent_id", resources, executor, command, container
        case healthCheck = "health_check", killPolicy = "kill_policy", data, labels, discovery
        case maxCompletionTime = "max_completion_time"
    }

    public init(
        name: String, taskID: TaskID, agentID: AgentID, resources: [Resource] = [],
        command: CommandInfo? = nil, container: ContainerInfo? = nil, healthCheck: HealthCheck? = nil,
        killPolicy: KillPolicy? = nil, labels: Labels? = nil, discovery: DiscoveryInfo? = nil,
        executor: ExecutorInfo? = nil, data: Bytes? = nil, maxCompletionTime: DurationInfo? = nil
    ) {
        self.name = name
        self.taskID = taskID
        self.agentID = agentID
        self.resources = resources
        self.executor = executor
        self.command = command
        self.container = container
        self.healthCheck = healthCheck
        self.killPolicy = killPolicy
        self.data = data
        self.labels = labels
        self.discovery = discovery
        self.maxCompletionTime = maxCompletionTime
    }
}

/// A custom or default executor.
public struct ExecutorInfo: Codable, Hashable, Sendable {
    /// DEFAULT or CUSTOM.
    public var type: String?
    public var executorID: ExecutorID
    public var frameworkID: FrameworkID?
    public var command: CommandInfo?
    public var container: ContainerInfo?
    @Repeated public var resources: [Resource]
    public var name: String?
    public var labels: Labels?
    /// How long the agent waits after SHUTDOWN before it kills the executor (agent default 5 s).
    public var shutdownGracePeriod: DurationInfo?

    enum CodingKeys: String, CodingKey {
        case type, executorID = "executor_id", frameworkID = "framework_id", command, container, resources
        case name, labels, shutdownGracePeriod = "shutdown_grace_period"
    }

    public init(executorID: ExecutorID, type: String? = nil, frameworkID: FrameworkID? = nil,
                command: CommandInfo? = nil, container: ContainerInfo? = nil, resources: [Resource] = [],
                name: String? = nil, labels: Labels? = nil, shutdownGracePeriod: DurationInfo? = nil) {
        self.shutdownGracePeriod = shutdownGracePeriod
        self.type = type
        self.executorID = executorID
        self.frameworkID = frameworkID
        self.command = command
        self.container = container
        self.resources = resources
        self.name = name
        self.labels = labels
    }
}
