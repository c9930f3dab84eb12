import Foundation

/// One status update of a task, reduced to what the lifecycle needs (from Mesos `TaskStatus`).
public struct TaskUpdate: Sendable, Hashable {
    public var taskID: String
    public var state: TaskState
    /// `TaskStatus.healthy`, when the executor ran a health check.
    public var healthy: Bool?
    public var message: String?
    /// Mesos' `TaskStatus.reason` (`REASON_CONTAINER_LIMITATION_MEMORY`, ...), when given.
    public var reason: String?
    public var timestamp: Date

    public init(taskID: String, state: TaskState, healthy: Bool? = nil, message: String? = nil, reason: String? = nil, timestamp: Date) {
        self.taskID = taskID
        self.state = state
        self.healthy = healthy
        self.message = message
        self.reason = reason
        self.timestamp = timestamp
    }
}
