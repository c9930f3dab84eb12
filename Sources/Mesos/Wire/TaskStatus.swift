/// A task status update (UPDATE events, reconciliation answers, master state).
public struct TaskStatus: Codable, Hashable, Sendable {
    public var taskID: TaskID
    public var state: TaskState
    public var message: String?
    public var source: Source?
    public var reason: Reason?
    public var data: Bytes?
    public var agentID: AgentID?
    public var executorID: ExecutorID?
    /// Seconds since the epoch.
    @LenientOptional public var timestamp: Double?
    /// Present on updates that must be acknowledged; absent on reconciliation answers.
    public var uuid: Bytes?
    @LenientOptional public var healthy: Bool?
    public var labels: Labels?
    public var containerStatus: ContainerStatus?
    public var unreachableTime: TimeInfo?

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id", state, message, source, reason, data, agentID = "agent_id"
        case executorID = "executor_id", timestamp, uuid, healthy, labels
        case containerStatus = "container_status", unreachableTime = "unreachable_time"
    }

    public init(
        taskID: TaskID, state: TaskState, message: String? = nil, source: Source? = nil,
        reason: Reason? = nil, agentID: AgentID? = nil, executorID: ExecutorID? = nil,
        timestamp: Double? = nil, uuid: Bytes? = nil, healthy: Bool? = nil, labels: Labels? = nil,
        data: Bytes? = nil, containerStatus: ContainerStatus? = nil, unreachableTime: TimeInfo? = nil
    ) {
        self.taskID = taskID
        self.state = state
        self.message = message
        self.source = source
        self.reason = reason
        self.data = data
        self.agentID = agentID
        self.executorID = executorID
        self.timestamp = timestamp
        self.uuid = uuid
        self.healthy = healthy
        self.labels = labels
        self.containerStatus = containerStatus
        self.unreachableTime = unreachableTime
    }
}
