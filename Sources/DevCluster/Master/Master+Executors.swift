import Foundation
import Mesos

/// What the agent's executor endpoint made of a call.
enum ExecutorOutcome: Sendable {
    case accepted
    case badRequest(String)
    case forbidden(String)
    case unavailable(String)
    /// SUBSCRIBE: the stream to answer with.
    case stream(EventStream)
}

extension Master {
    // MARK: Launch

    /// Resources a LAUNCH of `info` takes on the agent: the task's, plus the executor's when it
    /// starts a new executor.
    func executorResourcesNeeded(_ info: TaskInfo, agentID: AgentID, frameworkID: FrameworkID) throws(ResourceError) -> ResourceBag {
        guard let executor = info.executor else { return .empty }
        let key = ExecutorKey(agentID: agentID, frameworkID: frameworkID, executorID: executor.executorID)
        if executors[key] != nil { return .empty }
        return try ResourceBag(executor.resources)
    }

    /// The master's ExecutorInfo checks for a LAUNCH (nil when valid).
    func validateExecutor(_ executor: ExecutorInfo, frameworkID: FrameworkID) -> String? {
        if let type = executor.type, type != "CUSTOM" {
            return "Executor of type \(type) is only supported by LAUNCH_GROUP"
        }
        if let id = executor.frameworkID, id != frameworkID {
            return "ExecutorInfo has an invalid FrameworkID (Actual: \(id.value) vs Expected: \(frameworkID.value))"
        }
        if executor.executorID.value.isEmpty || executor.executorID.value.contains("/") {
            return "Executor ID '\(executor.executorID.value)' contains invalid characters"
        }
        if executor.command?.value == nil { return "Executor '\(executor.executorID.value)' has no command" }
        return nil
    }

    /// Registers a task with its executor (creating and starting the executor when new).
    func attachToExecutor(_ info: TaskInfo, frameworkID: FrameworkID, agentID: AgentID) -> (ExecutorKey, String)? {
        guard var executor = info.executor else { return nil }
        let key = ExecutorKey(agentID: agentID, frameworkID: frameworkID, executorID: executor.executorID)
        if executors[key] == nil {
            executor.frameworkID = frameworkID
            executor.type = executor.type ?? "CUSTOM"
            let containerID = UUID().uuidString.lowercased()
            let directory = "\(workDirectory)/slaves/\(agentID.value)/frameworks/\(frameworkID.value)/executors/\(executor.executorID.value)/runs/\(containerID)"
            let resources = (try? ResourceBag(executor.resources)) ?? .empty
            executors[key] = ExecutorRecord(key: key, info: executor, containerID: containerID, directory: directory,
                                            resources: resources, launchedAt: Date())
            let usedBefore = agents[agentID]?.used ?? .empty
            agents[agentID]?.used = usedBefore + resources
        }
        executors[key]?.taskIDs.append(info.taskID)
        return (key, executors[key]!.directory)
    }

    private func startExecutorProcess(_ key: ExecutorKey) {
        guard let record = executors[key], let agent = agents[key.agentID], let executorSupervisor else { return }
        let framework = frameworks[key.frameworkID]
        let grace = record.info.shutdownGracePeriod?.seconds ?? config.executorShutdownGracePeriod
        let environment = ExecutorEnvironment.make(.init(
            agentHost: agent.hostname, agentPort: agent.port, agentID: agent.id, frameworkID: key.frameworkID,
            executor: record.info, directory: record.directory, checkpoint: framework?.info.checkpoint == true,
            shutdownGrace: grace, extra: config.executorEnvironmentVariables))
        let launch = ExecutorLaunch(key: key, info: record.info, directory: record.directory, environment: environment,
                                    memoryLimitMB: memoryLimit(of: key))
        Task {
            await executorSupervisor.launch(launch)
            if let pid = await executorSupervisor.pid(of: key) { self.executorStarted(key, pid: pid) }
        }
    }

    func executorStarted(_ key: ExecutorKey, pid: Int32) { executors[key]?.pid = pid }

    /// The container's hard limit: the executor's mem plus its live tasks' mem.
    func memoryLimit(of key: ExecutorKey) -> Double {
        guard let record = executors[key] else { return 0 }
        let tasksMem = record.taskIDs.reduce(0.0) { sum, id in
            guard let task = tasks[TaskKey(frameworkID: key.frameworkID, taskID: id)], !task.state.isTerminal else { return sum }
            return sum + task.resources.mem
        }
        return record.resources.mem + tasksMem
    }

    private func updateMemoryLimit(_ key: ExecutorKey) {
        guard let executorSupervisor else { return }
        let limit = memoryLimit(of: key)
        Task { await executorSupervisor.setMemoryLimit(key, mb: limit) }
    }

    /// Hands a launched task to its executor: a LAUNCH on its stream, or queued until it subscribes.
    func deliverToExecutor(_ taskKey: TaskKey) {
        guard let task = tasks[taskKey], let executorID = task.executorID else { return }
        let key = ExecutorKey(agentID: task.agentID, frameworkID: taskKey.frameworkID, executorID: executorID)
        guard var record = executors[key] else { return }
        if !record.processStarted {
            // Started once its first task is recorded, so the container's memory limit counts the task.
            record.processStarted = true
            executors[key] = record
            startExecutorProcess(key)
        } else {
            updateMemoryLimit(key)
        }
        if let stream = record.stream, record.subscribed, stream.send(ExecutorEvent.launch(launchInfo(task.info, record))) {
            record.staging.insert(taskKey.taskID)
            record.everLaunchedTask = true
        } else {
            record.queued.append(task.info)
        }
        executors[key] = record
    }

    /// The TaskInfo as the executor sees it: its full ExecutorInfo, allocation info on resources.
    private func launchInfo(_ info: TaskInfo, _ record: ExecutorRecord) -> TaskInfo {
        var task = info
        task.executor = record.info
        if let role = frameworks[record.key.frameworkID]?.role {
            task.resources = task.resources.map { resource in
                var resource = resource
                if resource.allocationInfo == nil { resource.allocationInfo = Resource.AllocationInfo(role: role) }
                return resource
            }
        }
        return task
    }

    // MARK: Executor API

    func executorCall(_ call: ExecutorCall, agentID: AgentID) -> ExecutorOutcome {
        if let until = agentRecoveringUntil[agentID], Date() < until {
            return .unavailable("Agent has not finished recovery")
        }
        if call.type == .heartbeat { return .accepted }
        guard executors.keys.contains(where: { $0.agentID == agentID && $0.frameworkID == call.frameworkID }) else {
            return .badRequest("Framework cannot be found")
        }
        let key = ExecutorKey(agentID: agentID, frameworkID: call.frameworkID, executorID: call.executorID)
        guard let record = executors[key] else { return .badRequest("Executor cannot be found") }
        switch call.type {
        case .subscribe:
            return .stream(executorSubscribed(key, call.subscribe ?? ExecutorCall.Subscribe()))
        case .update:
            guard record.subscribed else { return .forbidden("Executor is not subscribed") }
            if let update = call.update { forwardExecutorUpdate(update.status, from: key) }
            return .accepted
        case .message:
            guard record.subscribed else { return .forbidden("Executor is not subscribed") }
            if let message = call.message {
                send(.message(agentID: agentID, executorID: call.executorID, data: message.data), to: call.frameworkID)
            }
            return .accepted
        default:
            return .badRequest("Failed to validate Executor::Call: Expecting 'type' to be present")
        }
    }

    private func executorSubscribed(_ key: ExecutorKey, _ subscribe: ExecutorCall.Subscribe) -> EventStream {
        var record = executors[key]!
        let stream = EventStream(frameworkID: key.frameworkID) { [weak self] id in
            Task { await self?.executorStreamClosed(key, streamID: id) }
        }
        record.stream?.close()
        record.stream = stream
        let resubscribe = record.subscribed
        record.subscribed = true
        if record.shuttingDown {
            stream.send(ExecutorEvent.shutdown)
            executors[key] = record
            return stream
        }
        if resubscribe {
            let listed = Set(subscribe.unacknowledgedTasks.map(\.taskID))
            let lost = record.staging.subtracting(listed)
            record.staging.subtract(lost)
            executors[key] = record
            for taskID in lost.sorted() {
                agentReported(AgentStatusReport(key: TaskKey(frameworkID: key.frameworkID, taskID: taskID), agentID: key.agentID,
                                                state: .lost, message: "Task launched during agent restart",
                                                reason: .agentRestarted, source: .agent, executorID: key.executorID))
            }
            if !record.everLaunchedTask && record.queued.isEmpty {
                shutdownExecutor(key)
                return stream
            }
            for update in subscribe.unacknowledgedUpdates { forwardExecutorUpdate(update.status, from: key) }
            record = executors[key] ?? record
        }
        let subscribed = ExecutorEvent.Subscribed(
            executorInfo: record.info, frameworkInfo: frameworks[key.frameworkID]?.info ?? FrameworkInfo(user: "", name: ""),
            agentInfo: agentInfo(key.agentID), containerID: ContainerID(record.containerID))
        stream.send(ExecutorEvent.subscribed(subscribed))
        let queued = record.queued
        record.queued = []
        for info in queued where tasks[TaskKey(frameworkID: key.frameworkID, taskID: info.taskID)].map({ !$0.state.isTerminal }) ?? false {
            if stream.send(ExecutorEvent.launch(launchInfo(info, record))) {
                record.staging.insert(info.taskID)
                record.everLaunchedTask = true
            }
        }
        executors[key] = record
        return stream
    }

    private func agentInfo(_ id: AgentID) -> AgentInfo {
        guard let agent = agents[id] else { return AgentInfo(hostname: "", id: id) }
        return AgentInfo(hostname: agent.hostname, port: Int32(agent.port), id: id, resources: agent.total.resources(role: "*"))
    }

    func executorStreamClosed(_ key: ExecutorKey, streamID: String) {
        guard executors[key]?.stream?.id == streamID else { return }
        executors[key]?.stream = nil
    }

    /// An executor's UPDATE, forwarded with the agent's fields added; data and message unchanged.
    private func forwardExecutorUpdate(_ incoming: TaskStatus, from key: ExecutorKey) {
        let taskKey = TaskKey(frameworkID: key.frameworkID, taskID: incoming.taskID)
        var status = incoming
        status.agentID = key.agentID
        status.timestamp = Date().timeIntervalSince1970
        guard var task = tasks[taskKey], task.executorID == key.executorID, task.agentID == key.agentID,
              !task.state.isTerminal, var record = executors[key] else {
            // Unknown to the agent (or already over): forwarded as is, nothing tracked.
            send(.update(status), to: key.frameworkID)
            return
        }
        status.executorID = key.executorID
        status.containerStatus = ContainerStatus(
            containerID: ContainerID(record.containerID),
            networkInfos: [ContainerInfo.NetworkInfo(ipAddresses: [.init(protocol: "IPv4", ipAddress: agents[key.agentID]?.hostname)])],
            executorPID: record.pid.map { UInt32($0) })
        record.staging.remove(incoming.taskID)
        if let uuid = status.uuid { record.unacknowledged[incoming.taskID, default: []].append(uuid) }
        executors[key] = record
        if agents[task.agentID]?.partitioned == true { return }
        task.record(status)
        if status.state.isTerminal { releaseResources(of: &task) }
        task.pending = PendingUpdate(status: status, nextRetry: Date().addingTimeInterval(config.statusUpdateRetryInterval),
                                     backoff: config.statusUpdateRetryInterval)
        tasks[taskKey] = task
        pendingAcks.insert(taskKey)
        if let due = task.pending?.nextRetry, due < nextRetryDue { nextRetryDue = due }
        if status.state.isTerminal { updateMemoryLimit(key) }
        send(.update(status), to: key.frameworkID)
    }

    /// The scheduler acknowledged an update: the executor that sent it hears ACKNOWLEDGED.
    func acknowledgeToExecutor(_ frameworkID: FrameworkID, _ ack: Call.Acknowledge) {
        let key = TaskKey(frameworkID: frameworkID, taskID: ack.taskID)
        guard let task = tasks[key], let executorID = task.executorID else { return }
        let executorKey = ExecutorKey(agentID: task.agentID, frameworkID: frameworkID, executorID: executorID)
        guard var record = executors[executorKey], var uuids = record.unacknowledged[ack.taskID],
              let index = uuids.firstIndex(of: ack.uuid) else { return }
        uuids.remove(at: index)
        record.unacknowledged[ack.taskID] = uuids.isEmpty ? nil : uuids
        executors[executorKey] = record
        record.stream?.send(ExecutorEvent.acknowledged(ack.taskID, uuid: ack.uuid))
    }

    // MARK: Kill, shutdown, message

    /// KILL goes to the executor, which stops the task itself; the agent kills nothing.
    func killExecutorTask(_ taskKey: TaskKey, killPolicy: KillPolicy?) {
        guard let task = tasks[taskKey], let executorID = task.executorID else { return }
        let key = ExecutorKey(agentID: task.agentID, frameworkID: taskKey.frameworkID, executorID: executorID)
        guard var record = executors[key] else { return }
        if let index = record.queued.firstIndex(where: { $0.taskID == taskKey.taskID }) {
            record.queued.remove(at: index)
            executors[key] = record
            agentReported(AgentStatusReport(key: taskKey, agentID: task.agentID, state: .killed,
                                            message: "Killed before delivery to the executor",
                                            reason: .taskKilledDuringLaunch, source: .agent, executorID: executorID))
            return
        }
        record.stream?.send(ExecutorEvent.kill(taskKey.taskID, killPolicy: killPolicy ?? task.info.killPolicy))
    }

    /// SHUTDOWN on the stream; SIGKILL after the executor's shutdown grace period.
    func shutdownExecutor(_ key: ExecutorKey) {
        guard var record = executors[key], !record.shuttingDown else { return }
        record.shuttingDown = true
        let grace = record.info.shutdownGracePeriod?.seconds ?? config.executorShutdownGracePeriod
        record.killAt = Date().addingTimeInterval(grace)
        record.stream?.send(ExecutorEvent.shutdown)
        executors[key] = record
    }

    func shutdownExecutors(of frameworkID: FrameworkID) {
        for key in executors.keys where key.frameworkID == frameworkID { shutdownExecutor(key) }
    }

    func messageToExecutor(_ frameworkID: FrameworkID, _ message: Call.Message) {
        let key = ExecutorKey(agentID: message.agentID, frameworkID: frameworkID, executorID: message.executorID)
        executors[key]?.stream?.send(ExecutorEvent.message(message.data))
    }

    // MARK: Timers and exits

    func checkExecutors(now: Date) async {
        guard let executorSupervisor, !executors.isEmpty else { return }
        for (key, record) in executors {
            if let killAt = record.killAt, now >= killAt {
                executors[key]?.killAt = nil
                await executorSupervisor.kill(key)
            } else if !record.subscribed, !record.registrationTimedOut,
                      now.timeIntervalSince(record.launchedAt) >= config.executorRegistrationTimeout {
                executors[key]?.registrationTimedOut = true
                logger.info("terminating executor \(key) because it did not register within \(config.executorRegistrationTimeout)s")
                await executorSupervisor.kill(key)
            }
        }
    }

    /// The executor process ended: FAILURE with its wait status, its live tasks fail.
    func executorExited(_ exit: ExecutorExit) {
        guard var record = executors.removeValue(forKey: exit.key) else { return }
        let key = exit.key
        record.stream?.close()
        record.stream = nil
        record.exitStatus = exit.waitStatus
        if var agent = agents[key.agentID] {
            agent.used = agent.used - record.resources
            agents[key.agentID] = agent
        }
        allocationRequested = true
        if exit.launchError == nil {
            send(.failure(agentID: key.agentID, executorID: key.executorID, status: exit.waitStatus), to: key.frameworkID)
        }
        let state: TaskState
        let reason: TaskStatus.Reason
        let message: String
        if let launchError = exit.launchError {
            (state, reason, message) = (.failed, .containerLaunchFailed, launchError)
        } else if let memory = exit.memory {
            (state, reason, message) = (.failed, .containerLimitationMemory,
                                        "Memory limit exceeded: Requested: \(Int(memory.limitMB))MB Maximum Used: \(memory.usedBytes / 1_048_576)MB")
        } else if record.registrationTimedOut {
            (state, reason, message) = (.failed, .executorRegistrationTimeout,
                                        "Executor did not register within \(ExecutorEnvironment.duration(config.executorRegistrationTimeout))")
        } else if record.killedByAgentRestart {
            (state, reason, message) = (.lost, .agentRestarted, "Executor terminated during agent restart")
        } else {
            (state, reason, message) = (.failed, .executorTerminated, "Executor terminated")
        }
        for taskID in record.taskIDs {
            let taskKey = TaskKey(frameworkID: key.frameworkID, taskID: taskID)
            guard let task = tasks[taskKey], !task.state.isTerminal else { continue }
            agentReported(AgentStatusReport(key: taskKey, agentID: key.agentID, state: state, message: message,
                                            reason: reason, source: .agent, executorID: key.executorID))
        }
        completedExecutors.append(record)
        if completedExecutors.count > 100 { completedExecutors.removeFirst(completedExecutors.count - 100) }
    }

    /// The agent dies (fault injection): executors are killed, nothing is reported.
    func abandonExecutors(agent agentID: AgentID) async {
        await executorSupervisor?.abandon(agent: agentID)
        for key in executors.keys where key.agentID == agentID {
            executors[key]?.stream?.close()
            executors[key] = nil
        }
    }

    /// What an agent process restart looks like to its executors: every stream closes, the
    /// endpoint answers 503 for `agentRestartDowntime`, then executors of checkpointing frameworks
    /// re-subscribe; the others are killed (the agent does not recover them).
    func restartAgentProcess(_ agentID: AgentID) async -> Bool {
        guard agents[agentID]?.isConnected == true else { return false }
        agentRecoveringUntil[agentID] = Date().addingTimeInterval(config.agentRestartDowntime)
        for (key, record) in executors where key.agentID == agentID {
            record.stream?.close()
            executors[key]?.stream = nil
            if frameworks[key.frameworkID]?.info.checkpoint != true {
                executors[key]?.killedByAgentRestart = true
                await executorSupervisor?.kill(key)
            }
        }
        return true
    }

    func fetcherDownloads() async -> [String: Int] { await executorSupervisor?.cache.downloads ?? [:] }
}
