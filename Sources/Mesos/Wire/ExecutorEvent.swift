/// An event on an executor's SUBSCRIBE stream: `{"type":"LAUNCH","launch":{"task":{..}}}`.
public struct ExecutorEvent: Codable, Hashable, Sendable {
    public var type: EventType
    public var subscribed: Subscribed?
    public var launch: Launch?
    public var launchGroup: LaunchGroup?
    public var kill: Kill?
    public var acknowledged: Acknowledged?
    public var message: Message?
    public var error: Error?

    enum CodingKeys: String, CodingKey {
        case type, subscribed, launch, launchGroup = "launch_group", kill, acknowledged, message, error
    }

    public init(type: EventType) { self.type = type }

    public struct EventType: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let unknown: EventType = "UNKNOWN"
        public static let subscribed: EventType = "SUBSCRIBED"
        public static let launch: EventType = "LAUNCH"
        public static let launchGroup: EventType = "LAUNCH_GROUP"
        public static let kill: EventType = "KILL"
        public static let acknowledged: EventType = "ACKNOWLEDGED"
        public static let message: EventType = "MESSAGE"
        public static let error: EventType = "ERROR"
        public static let shutdown: EventType = "SHUTDOWN"
        public static let heartbeat: EventType = "HEARTBEAT"
    }

    /// `agent_info`, not `slave_info` (observed on Mesos 1.11).
    public struct Subscribed: Codable, Hashable, Sendable {
        public var executorInfo: ExecutorInfo
        public var frameworkInfo: FrameworkInfo
        public var agentInfo: AgentInfo
        public var containerID: ContainerID?
        enum CodingKeys: String, CodingKey {
            case executorInfo = "executor_info", frameworkInfo = "framework_info", agentInfo = "agent_info"
            case containerID = "container_id"
        }
        public init(executorInfo: ExecutorInfo, frameworkInfo: FrameworkInfo, agentInfo: AgentInfo,
                    containerID: ContainerID? = nil) {
            self.executorInfo = executorInfo
            self.frameworkInfo = frameworkInfo
            self.agentInfo = agentInfo
            self.containerID = containerID
        }
    }

    public struct Launch: Codable, Hashable, Sendable {
        public var task: TaskInfo
        public init(task: TaskInfo) { self.task = task }
    }

    public struct LaunchGroup: Codable, Hashable, Sendable {
        public var taskGroup: TaskGroupInfo
        enum CodingKeys: String, CodingKey { case taskGroup = "task_group" }
        public init(taskGroup: TaskGroupInfo) { self.taskGroup = taskGroup }
    }

    /// `kill_policy`, when present, overrides the TaskInfo's.
    public struct Kill: Codable, Hashable, Sendable {
        public var taskID: TaskID
        public var killPolicy: KillPolicy?
        enum CodingKeys: String, CodingKey { case taskID = "task_id", killPolicy = "kill_policy" }
        public init(taskID: TaskID, killPolicy: KillPolicy? = nil) {
            self.taskID = taskID
            self.killPolicy = killPolicy
        }
    }

    public struct Acknowledged: Codable, Hashable, Sendable {
        public var taskID: TaskID
        public var uuid: Bytes
        enum CodingKeys: String, CodingKey { case taskID = "task_id", uuid }
        public init(taskID: TaskID, uuid: Bytes) {
            self.taskID = taskID
            self.uuid = uuid
        }
    }

    public struct Message: Codable, Hashable, Sendable {
        public var data: Bytes
        public init(data: Bytes) { self.data = data }
    }

    public struct Error: Codable, Hashable, Sendable {
        public var message: String
        public init(message: String) { self.message = message }
    }

    public static func subscribed(_ subscribed: Subscribed) -> ExecutorEvent {
        var event = ExecutorEvent(type: .subscribed)
        event.subscribed = subscribed
        return event
    }

    public static func launch(_ task: TaskInfo) -> ExecutorEvent {
        var event = ExecutorEvent(type: .launch)
        event.launch = Launch(task: task)
        return event
    }

    public static func launchGroup(_ tasks: [TaskInfo]) -> ExecutorEvent {
        var event = ExecutorEvent(type: .launchGroup)
        event.launchGroup = LaunchGroup(taskGroup: TaskGroupInfo(tasks: tasks))
        return event
    }

    public static func kill(_ taskID: TaskID, killPolicy: KillPolicy? = nil) -> ExecutorEvent {
        var event = ExecutorEvent(type: .kill)
        event.kill = Kill(taskID: taskID, killPolicy: killPolicy)
        return event
    }

    public static func acknowledged(_ taskID: TaskID, uuid: Bytes) -> ExecutorEvent {
        var event = ExecutorEvent(type: .acknowledged)
        event.acknowledged = Acknowledged(taskID: taskID, uuid: uuid)
        return event
    }

    public static func message(_ data: Bytes) -> ExecutorEvent {
        var event = ExecutorEvent(type: .message)
        event.message = Message(data: data)
        return event
    }

    public static func error(_ message: String) -> ExecutorEvent {
        var event = ExecutorEvent(type: .error)
        event.error = Error(message: message)
        return event
    }

    public static let shutdown = ExecutorEvent(type: .shutdown)
    public static let heartbeat = ExecutorEvent(type: .heartbeat)
}

/// Tasks launched together (`LAUNCH_GROUP`).
public struct TaskGroupInfo: Codable, Hashable, Sendable {
    @Repeated public var tasks: [TaskInfo]
    public init(tasks: [TaskInfo]) { self.tasks = tasks }
}
