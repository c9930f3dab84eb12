/// An executor call to `POST /api/v1/executor` on the agent:
/// `{"type":"UPDATE","framework_id":{..},"executor_id":{..},"update":{"status":{..}}}`.
///
/// SUBSCRIBE opens the event stream; UPDATE, MESSAGE and HEARTBEAT are short POSTs answered `202`.
public struct ExecutorCall: Codable, Hashable, Sendable {
    public var type: CallType
    public var frameworkID: FrameworkID
    public var executorID: ExecutorID
    public var subscribe: Subscribe?
    public var update: Update?
    public var message: Message?

    enum CodingKeys: String, CodingKey {
        case type, frameworkID = "framework_id", executorID = "executor_id", subscribe, update, message
    }

    public init(type: CallType, frameworkID: FrameworkID, executorID: ExecutorID) {
        self.type = type
        self.frameworkID = frameworkID
        self.executorID = executorID
    }

    public struct CallType: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let unknown: CallType = "UNKNOWN"
        public static let subscribe: CallType = "SUBSCRIBE"
        public static let update: CallType = "UPDATE"
        public static let message: CallType = "MESSAGE"
        public static let heartbeat: CallType = "HEARTBEAT"
    }

    /// What a re-subscribing executor still holds: tasks it got no update for yet acknowledged, and updates the
    /// agent has not acknowledged (the agent turns unlisted STAGING tasks into TASK_LOST).
    public struct Subscribe: Codable, Hashable, Sendable {
        @Repeated public var unacknowledgedTasks: [TaskInfo]
        @Repeated public var unacknowledgedUpdates: [Update]
        enum CodingKeys: String, CodingKey {
            case unacknowledgedTasks = "unacknowledged_tasks", unacknowledgedUpdates = "unacknowledged_updates"
        }
        public init(unacknowledgedTasks: [TaskInfo] = [], unacknowledgedUpdates: [Update] = []) {
            self.unacknowledgedTasks = unacknowledgedTasks
            self.unacknowledgedUpdates = unacknowledgedUpdates
        }
    }

    /// A status update; `status.uuid` must be 16 random bytes and `status.source` SOURCE_EXECUTOR.
    public struct Update: Codable, Hashable, Sendable {
        public var status: TaskStatus
        public init(status: TaskStatus) { self.status = status }
    }

    public struct Message: Codable, Hashable, Sendable {
        public var data: Bytes
        public init(data: Bytes) { self.data = data }
    }

    public static func subscribe(
        frameworkID: FrameworkID, executorID: ExecutorID, unacknowledgedTasks: [TaskInfo] = [],
        unacknowledgedUpdates: [Update] = []
    ) -> ExecutorCall {
        var call = ExecutorCall(type: .subscribe, frameworkID: frameworkID, executorID: executorID)
        call.subscribe = Subscribe(unacknowledgedTasks: unacknowledgedTasks, unacknowledgedUpdates: unacknowledgedUpdates)
        return call
    }

    public static func update(frameworkID: FrameworkID, executorID: ExecutorID, status: TaskStatus) -> ExecutorCall {
        var call = ExecutorCall(type: .update, frameworkID: frameworkID, executorID: executorID)
        call.update = Update(status: status)
        return call
    }

    public static func message(frameworkID: FrameworkID, executorID: ExecutorID, data: Bytes) -> ExecutorCall {
        var call = ExecutorCall(type: .message, frameworkID: frameworkID, executorID: executorID)
        call.message = Message(data: data)
        return call
    }

    public static func heartbeat(frameworkID: FrameworkID, executorID: ExecutorID) -> ExecutorCall {
        ExecutorCall(type: .heartbeat, frameworkID: frameworkID, executorID: executorID)
    }
}
