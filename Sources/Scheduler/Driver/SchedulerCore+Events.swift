import Foundation
import Logging
import Mesos

extension SchedulerCore {
    func handle(_ event: Event) {
        guard !stopped else { return }
        switch event.type {
        case .subscribed:
            if let id = event.subscribed?.frameworkID { subscribed(frameworkID: id.value) }
        case .offers:
            received(offers: event.offers?.offers ?? [])
        case .inverseOffers:
            for inverse in event.inverseOffers?.inverseOffers ?? [] {
                state.inverseOffers[inverse.id.value] = inverse
                if let agent = inverse.agentID?.value { state.unavailableAgents.insert(agent) }
            }
            needsTick = true
        case .rescind:
            if let id = event.rescind?.offerID.value, state.offers.removeValue(forKey: id) != nil {
                state.counters.offersRescinded += 1
            }
        case .rescindInverseOffer:
            if let id = event.rescindInverseOffer?.inverseOfferID.value { state.inverseOffers[id] = nil }
        case .update:
            if let status = event.update?.status { received(status) }
        case .failure:
            if let agent = event.failure?.agentID?.value, event.failure?.executorID == nil {
                configuration.logger.warning("Mesos reports an agent lost", metadata: ["agent": "\(agent)"])
                state.offers = state.offers.filter { $0.value.agentID.value != agent }
                needsTick = true
            }
        case .error:
            configuration.logger.warning("Mesos sent ERROR", metadata: ["message": "\(event.error?.message ?? "")"])
        default:
            break
        }
    }

    func subscribed(frameworkID: String) {
        if state.frameworkID != frameworkID {
            state.frameworkID = frameworkID
            do { try store.setFrameworkID(frameworkID) } catch {
                configuration.logger.error("Cannot store the framework id", metadata: ["error": "\(error)"])
            }
        }
        state.connection = .subscribed
        state.offers = [:]
        state.inverseOffers = [:]
        state.suppressed = false
        state.lastPendingKeys = []
        state.reconciliation.reconciled = false
        state.reconciliation.rebuilt = false
        state.reconciliation.subscriptions += 1
        emit(.connection(.subscribed))
        let round = state.reconciliation.subscriptions
        let operatorClient = clientBox.client?.operatorClient
        let logger = configuration.logger
        Task { [weak self] in
            var masterState: MasterState?
            for attempt in 0..<3 {
                do {
                    masterState = try await operatorClient?.state()
                    break
                } catch {
                    logger.warning("Cannot read /master/state", metadata: ["error": "\(error)", "attempt": "\(attempt + 1)"])
                    try? await Task.sleep(for: .milliseconds(500 * (attempt + 1)))
                }
            }
            await self?.rebuild(from: masterState, round: round)
        }
    }

    func received(offers: [Offer]) {
        state.counters.offersReceived += offers.count
        for offer in offers {
            state.offers[offer.id.value] = offer
            let agentID = offer.agentID.value
            var agent = state.agents[agentID] ?? KnownAgent(id: agentID, hostname: offer.hostname, attributes: [:])
            agent.hostname = offer.hostname
            agent.attributes = Dictionary(offer.attributes.map { ($0.name, $0.stringValue) }, uniquingKeysWith: { first, _ in first })
            state.agents[agentID] = agent
            if offer.unavailability != nil {
                state.unavailableAgents.insert(agentID)
            } else if !state.inverseOffers.values.contains(where: { $0.agentID?.value == agentID }) {
                state.unavailableAgents.remove(agentID)
            }
        }
        needsTick = true
    }

    /// A status update or a reconciliation answer.
    func received(_ status: TaskStatus) {
        let now = Date()
        state.counters.statusUpdates += 1
        let taskID = status.taskID.value
        state.reconciliation.awaiting.remove(taskID)
        defer {
            if status.uuid != nil { send(.acknowledge(status)) }
            needsTick = true
        }
        guard var update = TaskUpdate(status, receivedAt: now) else {
            configuration.logger.warning("Unknown task state", metadata: ["task": "\(taskID)", "state": "\(status.state.rawValue)"])
            return
        }
        if update.state == .unknown {
            // The master knows nothing of it: it never started or is long gone.
            update.state = .gone
            if update.message == nil { update.message = "unknown to the master" }
        }
        let settle = configuration.settleSeconds
        var previous = state.cluster.tasks[taskID]
        if previous == nil {
            guard update.state.isLive || update.state == .unreachable || update.state == .killing else { return }
            previous = adopt(taskID: taskID, agentID: status.agentID?.value, now: now)
        }
        guard var record = previous else { return }
        if record.state.isTerminal, update.state.isLive || update.state == .killing {
            // Back from the dead (a partition healed after we gave up on it): track it again.
            record.state = .unreachable
            record.healthySince = nil
        }
        if record.agentID.isEmpty, let agent = status.agentID?.value {
            record.agentID = agent
            record.hostname = state.agents[agent]?.hostname ?? ""
        }
        let before = record
        record = TaskLifecycle.apply(update, to: record, settleSeconds: settle)
        guard record != before else { return }
        state.cluster.upsert(record)
        taskChanged(from: before, to: record, now: now)
    }

    /// Bookkeeping after a task changed: failures, health streaks, job runs, history, change events.
    func taskChanged(from before: TaskRecord, to record: TaskRecord, now: Date) {
        let extras = state.taskInfo[record.taskID]
        let service = record.slot.service
        let isJob = extras?.kind?.isJob ?? state.services[service]?.workload.kind.isJob ?? false
        if record.state.isTerminal, !before.state.isTerminal {
            if !isJob, TaskLifecycle.endedUnexpectedly(record) {
                state.services[service]?.failures.recordFailure(at: now, message: record.lastMessage)
                configuration.logger.info("Task ended unexpectedly", metadata: [
                    "task": "\(record.taskID)", "state": "\(record.state.rawValue)", "message": "\(record.lastMessage ?? "")"])
            }
        }
        if record.healthySince != nil, before.healthySince == nil, !isJob {
            state.services[service]?.failures.recordHealthy()
        }
        if isJob { updateJobRun(record, now: now) }
        if record.state != before.state || record.killRequestedAt != before.killRequestedAt {
            recordHistory(record, endedAt: record.state.isTerminal ? now : nil)
        }
        emit(.task(record))
    }

    /// A task the driver did not know (implicit reconciliation, a late update): claimed from its id.
    func adopt(taskID: String, agentID: String?, now: Date) -> TaskRecord {
        let identity = TaskIdentity(taskID: taskID)
        let slot = identity?.slot ?? SlotID(service: "", instance: 0)
        let workload = state.services[slot.service]?.workload
        var record = TaskRecord(taskID: taskID, slot: slot, deployID: identity?.deployID ?? "", agentID: agentID ?? "",
                                hostname: agentID.flatMap { state.agents[$0]?.hostname } ?? "", state: .staging,
                                hasHealthCheck: workload?.spec.healthCheck != nil, launchedAt: now)
        record.lastMessage = "adopted from a status update"
        state.taskInfo[taskID] = TaskExtras(kind: workload?.kind, fireTime: identity?.fireTime, attempt: identity?.attempt)
        configuration.logger.info("Adopting a task of this framework", metadata: ["task": "\(taskID)"])
        return record
    }

    /// Queues a task's history row; `flushHistory` writes the queue in one transaction (once per tick).
    func recordHistory(_ record: TaskRecord, endedAt: Date?) {
        state.pendingHistory[record.taskID] = TaskHistoryEntry(
            taskID: record.taskID, slot: record.slot, deployID: record.deployID, agentID: record.agentID, state: record.state,
            message: record.lastMessage, killReason: state.taskInfo[record.taskID]?.killReason, launchedAt: record.launchedAt,
            endedAt: endedAt ?? state.pendingHistory[record.taskID]?.endedAt)
    }

    /// Writes queued task and deploy history (two transactions at most).
    func flushHistory() {
        if !state.pendingDeploys.isEmpty {
            let deploys = state.pendingDeploys
            state.pendingDeploys = []
            do { try store.recordDeploys(deploys) } catch {
                configuration.logger.error("Cannot record deploy history", metadata: ["deploys": "\(deploys.count)", "error": "\(error)"])
            }
        }
        guard !state.pendingHistory.isEmpty else { return }
        let entries = Array(state.pendingHistory.values)
        state.pendingHistory = [:]
        do { try store.recordTasks(entries) } catch {
            configuration.logger.error("Cannot record task history", metadata: ["tasks": "\(entries.count)", "error": "\(error)"])
        }
    }
}
