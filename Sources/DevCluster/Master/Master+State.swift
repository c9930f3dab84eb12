import Foundation
import Mesos

/// The legacy operator JSON (/master/state and friends): flat resources, plain-string ids.
extension Master {
    var pid: String { "master@\(address)" }

    func stateJSON() -> JSONValue {
        let agentsList = agentOrder.compactMap { agents[$0] }.filter { !$0.down && !$0.unreachable }
        var state: [String: JSONValue] = [
            "version": .string(config.version),
            "git_sha": "converge-dev-cluster",
            "id": .string(masterID),
            "pid": .string(pid),
            "hostname": .string(masterInfo.hostname ?? "127.0.0.1"),
            "leader": .string(leaderRedirect.map { "master@\($0)" } ?? pid),
            "start_time": .number(startTime),
            "elected_time": .number(electedTime),
            "activated_slaves": .number(Double(agentsList.filter { $0.isConnected && $0.mode == .active }.count)),
            "deactivated_slaves": .number(Double(agentsList.filter { $0.mode != .active }.count)),
            "unreachable_slaves": .number(Double(agents.values.filter(\.unreachable).count)),
            "flags": .object(["heartbeat_interval": .string("\(config.heartbeatInterval)secs"),
                              "work_dir": .string(workDirectory)]),
            "slaves": .array(agentsList.map(agentJSON)),
            "frameworks": .array(frameworks.values.sorted { $0.id < $1.id }.map(frameworkJSON)),
            "completed_frameworks": .array(removedFrameworks.values.sorted { $0.id < $1.id }.map(frameworkJSON)),
            "orphan_tasks": .array([]),
            "unregistered_frameworks": .array([]),
        ]
        if let leader = leaderRedirect { state["leader_info"] = .object(["hostname": .string(leader)]) } else {
            state["leader_info"] = .wire(masterInfo)
        }
        return .object(state)
    }

    func agentJSON(_ agent: AgentRecord) -> JSONValue {
        var attributes: [String: JSONValue] = [:]
        for attribute in agent.attributes {
            if attribute.type == .scalar, let value = attribute.scalar?.value { attributes[attribute.name] = .number(value) }
            else { attributes[attribute.name] = .string(attribute.stringValue) }
        }
        var object: [String: JSONValue] = [
            "id": .string(agent.id.value),
            "pid": .string("slave(1)@\(agent.hostname):\(agent.port)"),
            "hostname": .string(agent.hostname),
            "port": .number(Double(agent.port)),
            "registered_time": .number(agent.registeredTime),
            "resources": .object(agent.total.legacyJSON),
            "used_resources": .object(agent.used.legacyJSON),
            "offered_resources": .object(agent.offered.legacyJSON),
            "unreserved_resources": .object(agent.total.legacyJSON),
            "reserved_resources": .object([:]),
            "attributes": .object(attributes),
            "active": .bool(agent.isConnected && agent.mode == .active),
            "deactivated": .bool(agent.mode != .active),
            "version": .string(config.version),
            "capabilities": .array(["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT", "AGENT_DRAINING"]),
        ]
        if let time = agent.reregisteredTime { object["reregistered_time"] = .number(time) }
        if agent.mode == .draining || agent.mode == .drained {
            object["drain_info"] = .object(["state": .string(agent.mode == .draining ? "DRAINING" : "DRAINED")])
        }
        return .object(object)
    }

    func frameworkJSON(_ framework: FrameworkRecord) -> JSONValue {
        let active = framework.tasks.compactMap { tasks[$0] }
        let running = active.filter { $0.unreachableSince == nil }
        let used = running.filter { !$0.resourcesReleased }.reduce(ResourceBag.empty) { $0 + $1.resources }
        let offered = offers.values.filter { $0.frameworkID == framework.id }.reduce(ResourceBag.empty) { $0 + $1.resources }
        let info = framework.info
        var object: [String: JSONValue] = [
            "id": .string(framework.id.value),
            "name": .string(info.name),
            "user": .string(info.user),
            "hostname": .string(info.hostname ?? ""),
            "webui_url": .string(info.webuiURL ?? ""),
            "active": .bool(framework.connected),
            "connected": .bool(framework.connected),
            "recovered": false,
            "failover_timeout": .number(info.failoverTimeout ?? 0),
            "checkpoint": .bool(info.checkpoint ?? false),
            "role": .string(framework.role),
            "capabilities": .array(info.capabilities.compactMap { $0.type.map { .string($0.rawValue) } }),
            "registered_time": .number(framework.registeredTime),
            "unregistered_time": .number(framework.unregisteredTime ?? 0),
            "resources": .object((used + offered).legacyJSON),
            "used_resources": .object(used.legacyJSON),
            "offered_resources": .object(offered.legacyJSON),
            "tasks": .array(running.sorted { $0.key.taskID < $1.key.taskID }.map(taskJSON)),
            "unreachable_tasks": .array(active.filter { $0.unreachableSince != nil }.map(taskJSON)),
            "completed_tasks": .array(framework.completedTasks.map(taskJSON)),
            "offers": .array([]),
            "executors": .array([]),
            "completed_executors": .array([]),
        ]
        if !info.roles.isEmpty { object["roles"] = .array(info.roles.map { .string($0) }) }
        if let principal = info.principal { object["principal"] = .string(principal) }
        if let time = framework.reregisteredTime { object["reregistered_time"] = .number(time) }
        if let labels = info.labels { object["labels"] = .wire(labels.labels) }
        return .object(object)
    }

    func taskJSON(_ task: TaskRecord) -> JSONValue {
        let role = frameworks[task.key.frameworkID]?.role ?? removedFrameworks[task.key.frameworkID]?.role ?? "*"
        var object: [String: JSONValue] = [
            "id": .string(task.key.taskID.value),
            "name": .string(task.info.name),
            "framework_id": .string(task.key.frameworkID.value),
            "executor_id": .string(task.executorID?.value ?? ""),
            "slave_id": .string(task.agentID.value),
            "state": .string(task.state.rawValue),
            "resources": .object(task.resources.legacyJSON),
            "role": .string(role),
            "statuses": .array(task.statuses.map { status in
                var entry: [String: JSONValue] = ["state": .string(status.state.rawValue),
                                                  "timestamp": .number(status.timestamp ?? 0)]
                if let healthy = status.healthy { entry["healthy"] = .bool(healthy) }
                return .object(entry)
            }),
        ]
        if let labels = task.info.labels { object["labels"] = .wire(labels.labels) }
        if let check = task.info.healthCheck { object["health_check"] = .wire(check) }
        if let container = task.info.container { object["container"] = .wire(container) }
        if let discovery = task.info.discovery { object["discovery"] = .wire(discovery) }
        if let user = task.info.command?.user { object["user"] = .string(user) }
        return .object(object)
    }

    /// /master/tasks: every task (active, unreachable, completed), paged.
    func tasksJSON(frameworkID: String?, taskID: String?, limit: Int, offset: Int, order: String) -> JSONValue {
        var list: [TaskRecord] = []
        let all = Array(frameworks.values) + Array(removedFrameworks.values)
        for framework in all where frameworkID == nil || framework.id.value == frameworkID {
            list += framework.tasks.compactMap { tasks[$0] } + framework.completedTasks
        }
        if let taskID { list = list.filter { $0.key.taskID.value == taskID } }
        list.sort { ($0.latest?.timestamp ?? 0, $0.key.taskID.value) < ($1.latest?.timestamp ?? 0, $1.key.taskID.value) }
        if order == "des" { list.reverse() }
        let page = list.dropFirst(max(0, offset)).prefix(max(0, limit))
        return .object(["tasks": .array(page.map(taskJSON))])
    }

    func slavesJSON() -> JSONValue {
        .object(["slaves": .array(agentOrder.compactMap { agents[$0] }.filter { !$0.down && !$0.unreachable }.map(agentJSON)),
                 "recovered_slaves": .array([])])
    }

    func frameworksJSON() -> JSONValue {
        .object(["frameworks": .array(frameworks.values.sorted { $0.id < $1.id }.map(frameworkJSON)),
                 "completed_frameworks": .array(removedFrameworks.values.sorted { $0.id < $1.id }.map(frameworkJSON)),
                 "unregistered_frameworks": .array([])])
    }

    /// The agent's /state: enough for a client to find a task's sandbox.
    func agentStateJSON(_ id: AgentID) -> JSONValue? {
        guard let agent = agents[id] else { return nil }
        var byFramework: [FrameworkID: [TaskRecord]] = [:]
        var customTasks: [ExecutorKey: [TaskRecord]] = [:]
        func add(_ task: TaskRecord) {
            if let executorID = task.executorID {
                customTasks[ExecutorKey(agentID: id, frameworkID: task.key.frameworkID, executorID: executorID), default: []].append(task)
            } else {
                byFramework[task.key.frameworkID, default: []].append(task)
            }
        }
        for task in tasks.values where task.agentID == id { add(task) }
        for framework in frameworks.values {
            for task in framework.completedTasks where task.agentID == id { add(task) }
        }
        let frameworkIDs = Set(byFramework.keys).union(executors.keys.filter { $0.agentID == id }.map(\.frameworkID))
        let frameworksList: [JSONValue] = frameworkIDs.sorted().map { frameworkID in
            var executorList: [JSONValue] = (byFramework[frameworkID] ?? []).map { task in
                .object(["id": .string(task.key.taskID.value), "name": .string("Command Executor (Task: \(task.key.taskID.value))"),
                         "source": .string(task.key.taskID.value), "directory": .string(task.sandbox),
                         "tasks": task.state.isTerminal ? .array([]) : .array([taskJSON(task)]),
                         "completed_tasks": task.state.isTerminal ? .array([taskJSON(task)]) : .array([])])
            }
            let live = executors.values.filter { $0.key.agentID == id && $0.key.frameworkID == frameworkID }
            executorList += live.sorted { $0.key.executorID < $1.key.executorID }.map { record in
                customExecutorJSON(record, tasks: customTasks[record.key] ?? [])
            }
            let completed = completedExecutors.filter { $0.key.agentID == id && $0.key.frameworkID == frameworkID }
            return .object(["id": .string(frameworkID.value), "name": .string(frameworks[frameworkID]?.info.name ?? ""),
                            "executors": .array(executorList),
                            "completed_executors": .array(completed.map { customExecutorJSON($0, tasks: customTasks[$0.key] ?? []) })])
        }
        return .object([
            "id": .string(id.value), "pid": .string("slave(1)@\(agent.hostname):\(agent.port)"),
            "hostname": .string(agent.hostname), "version": .string(config.version),
            "resources": .object(agent.total.legacyJSON), "attributes": agentJSON(agent).attributes,
            "master_hostname": .string(masterInfo.hostname ?? ""), "frameworks": .array(frameworksList),
            "completed_frameworks": .array([]), "flags": .object(["work_dir": .string(workDirectory)]),
        ])
    }

    /// A custom executor in the agent's /state: resources = the executor's plus its live tasks'.
    private func customExecutorJSON(_ record: ExecutorRecord, tasks list: [TaskRecord]) -> JSONValue {
        let live = list.filter { !$0.state.isTerminal }
        let queued = Set(record.queued.map(\.taskID))
        let resources = live.reduce(record.resources) { $0 + $1.resources }
        var object: [String: JSONValue] = [
            "id": .string(record.key.executorID.value), "name": .string(record.info.name ?? ""),
            "source": .string(""), "container": .string(record.containerID), "directory": .string(record.directory),
            "resources": .object(resources.legacyJSON), "role": .string(frameworks[record.key.frameworkID]?.role ?? "*"),
            "type": .string(record.info.type ?? "CUSTOM"),
            "tasks": .array(live.filter { !queued.contains($0.key.taskID) }.map(taskJSON)),
            "queued_tasks": .array(live.filter { queued.contains($0.key.taskID) }.map(taskJSON)),
            "completed_tasks": .array(list.filter { $0.state.isTerminal }.map(taskJSON)),
        ]
        if let labels = record.info.labels { object["labels"] = .wire(labels.labels) }
        return .object(object)
    }

    /// `/files/debug`: virtual sandbox paths to real ones, for the agent's live and completed executors.
    func agentForHost(_ hostname: String) -> AgentID? {
        agentOrder.first { agents[$0]?.hostname == hostname }
    }

    func agentIDs() -> [AgentID] { agentOrder }
    func agentRecord(_ id: AgentID) -> AgentRecord? { agents[id] }
    func task(_ key: TaskKey) -> TaskRecord? { tasks[key] }
}

private extension JSONValue {
    var attributes: JSONValue {
        if case let .object(object) = self, let value = object["attributes"] { return value }
        return .object([:])
    }
}
