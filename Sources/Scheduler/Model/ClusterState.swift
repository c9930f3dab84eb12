/// The scheduler's view of what runs: tasks by id and per service, and the agents it knows. A value.
public struct ClusterState: Sendable {
    public private(set) var tasks: [String: TaskRecord] = [:]
    public private(set) var taskIDsByService: [String: Set<String>] = [:]
    public var agents: [String: AgentSnapshot] = [:]

    public init() {}

    public mutating func upsert(_ task: TaskRecord) {
        if let previous = tasks[task.taskID], previous.slot.service != task.slot.service {
            taskIDsByService[previous.slot.service]?.remove(task.taskID)
        }
        tasks[task.taskID] = task
        taskIDsByService[task.slot.service, default: []].insert(task.taskID)
    }

    @discardableResult
    public mutating func remove(taskID: String) -> TaskRecord? {
        guard let task = tasks.removeValue(forKey: taskID) else { return nil }
        taskIDsByService[task.slot.service]?.remove(taskID)
        if taskIDsByService[task.slot.service]?.isEmpty == true { taskIDsByService[task.slot.service] = nil }
        return task
    }

    public func tasks(of service: String) -> [TaskRecord] {
        (taskIDsByService[service] ?? []).compactMap { tasks[$0] }.sorted { ($0.slot, $0.taskID) < ($1.slot, $1.taskID) }
    }

    /// Active tasks as spread constraints see them.
    public var existingPlacements: [ExistingPlacement] {
        tasks.values.filter(\.isActive).map {
            ExistingPlacement(service: $0.slot.service, deployID: $0.deployID, agentID: $0.agentID, hostname: $0.hostname,
                              rack: agents[$0.agentID]?.rack)
        }
    }
}
