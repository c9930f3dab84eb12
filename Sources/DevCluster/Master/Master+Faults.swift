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
        await removeAgentTasks(id, state: .lost, reason: .agentDisconnected, message: "Agent \(agent.hostname) disconnected",
                               onlyFrameworks: { $0.info.checkpoint != true })
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
}
