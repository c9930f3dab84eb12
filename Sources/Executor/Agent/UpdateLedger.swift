import Mesos

/// What the agent has not acknowledged yet: the tasks it launched here that no update was acknowledged for, and
/// every update sent and not acknowledged. Both ride in a re-SUBSCRIBE (the agent turns STAGING tasks it does not
/// see there into TASK_LOST, and re-forwards the updates).
struct UpdateLedger: Sendable {
    private(set) var tasks: [TaskID: TaskInfo] = [:]
    /// In the order they were sent.
    private(set) var updates: [TaskStatus] = []

    mutating func launched(_ task: TaskInfo) {
        tasks[task.taskID] = task
    }

    mutating func sent(_ status: TaskStatus) {
        updates.append(status)
    }

    /// Forgets the acknowledged update and, with it, the task's place among unacknowledged tasks.
    /// Returns the update acknowledged, nil when it was not (or no longer) held.
    @discardableResult
    mutating func acknowledged(taskID: TaskID, uuid: Bytes) -> TaskStatus? {
        guard let index = updates.firstIndex(where: { $0.taskID == taskID && $0.uuid == uuid }) else { return nil }
        tasks[taskID] = nil
        return updates.remove(at: index)
    }

    /// True while a terminal update for `taskID` waits for its acknowledgement.
    func awaitsTerminalAcknowledgement(_ taskID: TaskID) -> Bool {
        updates.contains { $0.taskID == taskID && $0.state.isTerminal }
    }

    var isEmpty: Bool { updates.isEmpty }

    func subscribeCall(frameworkID: FrameworkID, executorID: ExecutorID) -> ExecutorCall {
        .subscribe(frameworkID: frameworkID, executorID: executorID,
                   unacknowledgedTasks: tasks.values.sorted { $0.taskID < $1.taskID },
                   unacknowledgedUpdates: updates.map { ExecutorCall.Update(status: $0) })
    }
}
