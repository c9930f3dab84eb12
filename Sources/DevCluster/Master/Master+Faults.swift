import Foundation
import Mesos

/// Fault injection (the /admin endpoints).
extension Master {
    /// The agent dies with its tasks. Frameworks without checkpointing lose them at once
    /// (TASK_LOST, REASON_AGENT_DISCONNECTED); the others see them UNREACHABLE (or LOST) once the
    /// agent has been gone for `agentReregisterTimeout`.
    func stopAgent(_ id: AgentID) async -> Bool {
        guard let agent = agents[id], agent.stoppedAt == nil, !agent.down else { return false }
        agents[id]?.stoppedAt = Date()
        rescindOffers(on: id)
        await supervisor?.abandon(agent: id)
        await abandonExecutors(agent: id)
        await removeAgentTasks(id, state: .lost, reason: .agentDisconnected, message: "Agent \(agent.hostname) disconnected",
                               onlyFrameworks: { $0.info.checkpoint != true })
        return true
    }

    /// A network partition: the agent is cut off but its processes keep running. Frameworks without
    /// checkpointing lose their tasks at once (and the agent kills them); the others see them
    /// UNREACHABLE (or LOST) after `agentReregisterTimeout`, and back when the partition heals.
    func partitionAgent(_ id: AgentID) async -> Bool {
        guard let agent = agents[id], agent.stoppedAt == nil, !agent.down else { return false }
        agents[id]?.stoppedAt = Date()
        agents[id]?.partitioned = true
        rescindOffers(on: id)
        for key in tasks.keys where tasks[key]?.agentID == id && frameworks[key.frameworkID]?.info.checkpoint != true {
            await supervisor?.kill(key, grace: 0)
        }
        await removeAgentTasks(id, state: .lost, reason: .agentDisconnected, message: "Agent \(agent.hostname) disconnected",
                               onlyFrameworks: { $0.info.checkpoint != true }, killProcesses: false)
        return true
    }

    /// The partition heals: the agent re-registers with its running tasks. Partition-aware frameworks
    /// hear their tasks' current state (REASON_AGENT_REREGISTERED); tasks of the others were
    /// reported lost and are killed, as the master tells the agent to.
    func healAgent(_ id: AgentID) async -> Bool {
        guard let agent = agents[id], agent.partitioned else { return false }
        agents[id]?.partitioned = false
        agents[id]?.stoppedAt = nil
        agents[id]?.unreachable = false
        agents[id]?.reregisteredTime = Date().timeIntervalSince1970
        for (key, task) in tasks where task.agentID == id {
            guard let framework = frameworks[key.frameworkID] else { continue }
            if task.unreachableSince != nil && !framework.partitionAware {
                await supervisor?.kill(key, grace: 0)
                var removed = task
                releaseResources(of: &removed)
                tasks[key] = nil
                frameworks[key.frameworkID]?.tasks.remove(key)
                frameworks[key.frameworkID]?.completedTasks.append(removed)
                continue
            }
            let agentState = task.statuses.last { $0.source != .master }?.state ?? .staging
            tasks[key]?.unreachableSince = nil
            tasks[key]?.heldReport = nil
            if let held = task.heldReport {
                tasks[key]?.state = agentState
                agentReported(held)
            } else if task.unreachableSince != nil {
                var status = TaskStatus(taskID: key.taskID, state: agentState, message: "Agent \(agent.hostname) re-registered",
                                        source: .master, reason: .agentReregistered, agentID: id,
                                        timestamp: Date().timeIntervalSince1970)
                status.healthy = task.statuses.last { $0.source != .master }?.healthy
                tasks[key]?.record(status)
                sendMasterUpdate(key.taskID, agentID: id, state: agentState, reason: .agentReregistered,
                                 message: status.message, to: key.frameworkID)
            }
        }
        allocationRequested = true
        return true
    }

    func markUnreachable(_ id: AgentID) {
        guard let agent = agents[id], agent.stoppedAt != nil, !agent.unreachable else { return }
        agents[id]?.unreachable = true
        let now = Date()
        for (key, task) in tasks where task.agentID == id && !task.state.isTerminal {
            guard let framework = frameworks[key.frameworkID] else { continue }
            var task = task
            let status = TaskStatus(taskID: key.taskID, state: .unreachable, message: "Agent \(agent.hostname) is unreachable",
                                    source: .master, reason: .agentRemoved, agentID: id, timestamp: now.timeIntervalSince1970,
                                    unreachableTime: TimeInfo(secondsSinceEpoch: now.timeIntervalSince1970))
            task.record(status)
            task.unreachableSince = now
            task.pending = nil
            pendingAcks.remove(key)
            tasks[key] = task
            sendMasterUpdate(key.taskID, agentID: id, state: framework.visible(.unreachable), reason: .agentRemoved,
                             message: status.message, to: key.frameworkID, unreachableTime: status.unreachableTime)
        }
        broadcastAgentFailure(id)
    }

    /// The agent comes back (same id, empty): tasks it had are gone (TASK_GONE, or TASK_LOST).
    func restartAgent(_ id: AgentID) async -> Bool {
        guard let agent = agents[id], agent.stoppedAt != nil else { return false }
        await removeAgentTasks(id, state: .gone, reason: .agentRestarted, message: "Agent \(agent.hostname) restarted")
        agents[id]?.stoppedAt = nil
        agents[id]?.unreachable = false
        agents[id]?.used = .empty
        agents[id]?.reregisteredTime = Date().timeIntervalSince1970
        allocationRequested = true
        return true
    }

    /// SIGKILL to the task's process group (virtual: the task fails).
    func killTaskProcess(_ key: TaskKey) async -> Bool {
        guard let task = tasks[key], !task.state.isTerminal else { return false }
        if let supervisor, let pid = await supervisor.pid(of: key) {
            return ProcessControl.signalGroup(pid, SIGKILL)
        }
        if config.virtual {
            agentReported(AgentStatusReport(key: key, agentID: task.agentID, state: .failed,
                                            message: "Command terminated with signal Killed"))
            return true
        }
        return false
    }

    func dropConnection(_ id: FrameworkID) -> Bool {
        guard let stream = frameworks[id]?.stream else { return false }
        streamClosed(stream.id, frameworkID: id)
        return true
    }

    func silenceHeartbeats(_ silenced: Bool) { heartbeatsSilenced = silenced }

    /// A master failover that keeps the registry: every connection drops, offers vanish, the API
    /// answers 503 for `recovery` seconds; tasks keep running and frameworks must re-subscribe
    /// within their failover timeout.
    func restart(recovery: Double) {
        for (id, framework) in frameworks {
            framework.stream?.close()
            frameworks[id]?.stream = nil
            frameworks[id]?.disconnectedAt = Date().addingTimeInterval(max(0, recovery))
        }
        for offer in offers.values { rescind(offer.id, notify: false) }
        inverseOffers.removeAll()
        electedTime = Date().timeIntervalSince1970
        recoveringUntil = recovery > 0 ? Date().addingTimeInterval(recovery) : nil
    }

    func setStandby(leader: String?) { leaderRedirect = leader }

    /// The standby at `standbyAddress` becomes the leader with the same state, as a failed-over master whose
    /// registry survived: every scheduler stream closes, the old address answers 307 to the new one, and a
    /// framework re-subscribing with its id keeps its tasks.
    func failOver(to standbyAddress: String) async throws {
        let old = address
        restart(recovery: 0)
        address = standbyAddress
        standbyLeads = true
        try await registration?.withdraw(hostPort: old)
    }

    func setRegistration(_ registration: MasterRegistration?, standbyAddress: String?) {
        self.registration = registration
        self.standbyAddress = standbyAddress
    }
}
