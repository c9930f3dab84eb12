import Foundation
import Mesos

extension Master {
    /// SUBSCRIBE: a new framework, or a failover of a known one. The returned stream already holds
    /// SUBSCRIBED (or an ERROR, after which it is closed).
    func subscribe(_ subscribe: Call.Subscribe) -> EventStream {
        var info = subscribe.frameworkInfo
        let now = Date()
        if let id = info.id, removedFrameworks[id] != nil {
            let stream = makeStream(for: id)
            stream.send(errorEvent("Framework has been removed"))
            stream.close()
            return stream
        }
        let id: FrameworkID
        if let existing = info.id {
            id = existing
        } else {
            let number = String(nextFrameworkNumber)
            id = FrameworkID("\(masterID)-\(String(repeating: "0", count: max(0, 4 - number.count)))\(number)")
            nextFrameworkNumber += 1
            info.id = id
        }
        let stream = makeStream(for: id)
        if var framework = frameworks[id] {
            // Failover: the old connection is told and closed; offers do not survive it.
            if let old = framework.stream {
                old.send(errorEvent("Framework failed over"))
                old.close()
            }
            framework.info = info
            framework.stream = stream
            framework.disconnectedAt = nil
            framework.reregisteredTime = now.timeIntervalSince1970
            framework.suppressedRoles = Set(subscribe.suppressedRoles)
            framework.suppressedAll = false
            frameworks[id] = framework
            for offer in offers.values where offer.frameworkID == id { rescind(offer.id, notify: false) }
            for inverse in inverseOffers.values where inverse.frameworkID == id { inverseOffers[inverse.id] = nil }
        } else {
            var framework = FrameworkRecord(id: id, info: info, stream: stream, registeredTime: now.timeIntervalSince1970)
            framework.suppressedRoles = Set(subscribe.suppressedRoles)
            // A framework the master does not know (e.g. after losing its registry) may come back with its id.
            framework.tasks = Set(tasks.keys.filter { $0.frameworkID == id })
            frameworks[id] = framework
        }
        stream.send(.subscribed(id, heartbeatIntervalSeconds: config.heartbeatInterval, masterInfo: masterInfo))
        // Updates still waiting for an acknowledgement go out again on the new connection.
        for key in pendingAcks where key.frameworkID == id {
            if let status = tasks[key]?.pending?.status { stream.send(.update(status)) }
        }
        allocationRequested = true
        return stream
    }

    private func makeStream(for id: FrameworkID) -> EventStream {
        EventStream(frameworkID: id) { [weak self] streamID in
            Task { await self?.streamClosed(streamID, frameworkID: id) }
        }
    }

    func errorEvent(_ message: String) -> Event {
        var event = Event(type: .error)
        event.error = Event.Error(message: message)
        return event
    }

    /// The subscription connection ended: the framework is disconnected and its failover timer starts.
    func streamClosed(_ streamID: String, frameworkID: FrameworkID) {
        guard var framework = frameworks[frameworkID], framework.stream?.id == streamID else { return }
        framework.stream?.close()
        framework.stream = nil
        framework.disconnectedAt = Date()
        framework.unregisteredTime = Date().timeIntervalSince1970
        frameworks[frameworkID] = framework
        for offer in offers.values where offer.frameworkID == frameworkID { rescind(offer.id, notify: false) }
        for inverse in inverseOffers.values where inverse.frameworkID == frameworkID { inverseOffers[inverse.id] = nil }
        logger.info("framework \(frameworkID) disconnected; failover timeout \(framework.failoverTimeout)s")
    }

    /// TEARDOWN or failover timeout: kill every task, drop offers, remember the id as removed.
    func removeFramework(_ id: FrameworkID, reason: String) async {
        guard var framework = frameworks.removeValue(forKey: id) else { return }
        framework.stream?.close()
        framework.stream = nil
        framework.unregisteredTime = Date().timeIntervalSince1970
        for offer in offers.values where offer.frameworkID == id { rescind(offer.id, notify: false) }
        for inverse in inverseOffers.values where inverse.frameworkID == id { inverseOffers[inverse.id] = nil }
        for key in framework.tasks {
            guard var task = tasks.removeValue(forKey: key) else { continue }
            pendingAcks.remove(key)
            releaseResources(of: &task)
            if !task.state.isTerminal {
                if task.executorID == nil, let supervisor { await supervisor.kill(key, grace: config.defaultKillGracePeriod) }
                let status = TaskStatus(taskID: key.taskID, state: .killed, message: "Framework \(reason)",
                                        source: .master, reason: .frameworkRemoved, agentID: task.agentID,
                                        timestamp: Date().timeIntervalSince1970)
                task.record(status)
            }
            task.pending = nil
            framework.completedTasks.append(task)
        }
        framework.tasks = []
        shutdownExecutors(of: id)
        if framework.completedTasks.count > 1000 { framework.completedTasks.removeFirst(framework.completedTasks.count - 1000) }
        removedFrameworks[id] = framework
        allocationRequested = true
    }

    func releaseResources(of task: inout TaskRecord) {
        guard !task.resourcesReleased else { return }
        task.resourcesReleased = true
        if var agent = agents[task.agentID] {
            agent.used = agent.used - task.resources
            agents[task.agentID] = agent
        }
        allocationRequested = true
    }
}
