import Foundation
import Logging
import Manifests
import Mesos

extension SchedulerCore {
    /// How long the first reconciliation may take before the core trusts what it has.
    var reconcileDeadlineSeconds: Double { configuration.reconcileTimeoutSeconds }

    /// Rebuilds the task set from `/master/state` (tasks carry Converge's labels), then reconciles.
    func rebuild(from masterState: MasterState?, round: Int) {
        guard !stopped, round == state.reconciliation.subscriptions else { return }
        let now = Date()
        if let masterState {
            for slave in masterState.slaves {
                var agent = state.agents[slave.id] ?? KnownAgent(id: slave.id, hostname: slave.hostname, attributes: [:])
                agent.hostname = slave.hostname
                if let attributes = slave.attributes { agent.attributes = attributes.mapValues(\.description) }
                if let resources = slave.resources {
                    agent.total = ResourceAmounts(cpus: resources.cpus, memMb: resources.mem, diskMb: resources.disk)
                }
                state.agents[slave.id] = agent
            }
            if let id = state.frameworkID, let framework = masterState.framework(FrameworkID(id)) {
                for task in framework.tasks + framework.unreachableTasks + framework.completedTasks {
                    adoptFromMaster(task, now: now)
                }
            }
        }
        state.reconciliation.rebuilt = true
        startReconciliationRound(now: now)
        needsTick = true
    }

    /// One task from `/master/state`, unless the driver already tracks it.
    func adoptFromMaster(_ task: MasterState.Task, now: Date) {
        guard state.cluster.tasks[task.id] == nil, let taskState = TaskState(mesosName: task.state.rawValue) else { return }
        let identity = TaskIdentity(labels: task.labels, taskID: task.id)
        let statuses = task.statuses.sorted { ($0.timestamp ?? 0) < ($1.timestamp ?? 0) }
        let firstTime = statuses.first?.timestamp.map(Date.init(timeIntervalSince1970:)) ?? now
        var record = TaskRecord(
            taskID: task.id, slot: identity?.slot ?? SlotID(service: "", instance: 0), deployID: identity?.deployID ?? "",
            agentID: task.slaveID, hostname: state.agents[task.slaveID]?.hostname ?? "",
            ports: (task.resources?.ports ?? []).flatMap { $0.map { Int($0) } }, state: taskState,
            hasHealthCheck: task.healthCheck != nil, launchedAt: firstTime)
        if taskState == .running {
            let running = statuses.first { $0.state == .running }
            record.runningSince = running?.timestamp.map(Date.init(timeIntervalSince1970:)) ?? now
            if record.hasHealthCheck, let health = statuses.last(where: { $0.healthy != nil }) {
                record.healthReported = health.healthy
                if health.healthy == true {
                    record.healthySince = health.timestamp.map(Date.init(timeIntervalSince1970:)) ?? now
                }
            }
            record = TaskLifecycle.settle(record, now: now, settleSeconds: configuration.settleSeconds)
        }
        record.lastMessage = "recovered from the master's state"
        let kind = identity?.kind ?? state.services[record.slot.service]?.workload.kind
        state.taskInfo[task.id] = TaskExtras(kind: kind, fireTime: identity?.fireTime, attempt: identity?.attempt)
        state.cluster.upsert(record)
        if kind?.isJob == true { updateJobRun(record, now: now) }
        recordHistory(record, endedAt: taskState.isTerminal ? statuses.last?.timestamp.map(Date.init(timeIntervalSince1970:)) ?? now : nil)
    }

    /// Explicit reconciliation of every task believed alive, then implicit (empty) reconciliation.
    func startReconciliationRound(now: Date) {
        let believed = state.cluster.tasks.values.filter { !$0.state.isTerminal }
        let explicit = believed.map { Call.Reconcile.Task(taskID: TaskID($0.taskID), agentID: $0.agentID.isEmpty ? nil : AgentID($0.agentID)) }
        if !explicit.isEmpty { send(.reconcile(explicit)) }
        send(.reconcile([]))
        state.reconciliation.awaiting = Set(believed.map(\.taskID))
        state.reconciliation.startedAt = now
        state.reconciliation.lastRoundAt = now
        state.counters.reconciliations += 1
        do { try store.enforceRetention() } catch {
            configuration.logger.error("Cannot enforce history retention", metadata: ["error": "\(error)"])
        }
    }

    /// Marks the first round done once every explicitly reconciled task answered (or at the deadline); repeats
    /// explicit reconciliation for silent tasks, and starts periodic rounds.
    func checkReconciliation(now: Date) {
        var reconciliation = state.reconciliation
        guard reconciliation.rebuilt, let started = reconciliation.startedAt else { return }
        let elapsed = now.timeIntervalSince(started)
        if !reconciliation.reconciled {
            // Implicit answers need a moment to arrive after the explicit ones.
            let answered = reconciliation.awaiting.isEmpty && elapsed >= configuration.reconcileSettleSeconds
            if answered || elapsed >= reconcileDeadlineSeconds {
                if !answered {
                    configuration.logger.warning("Reconciliation incomplete at its deadline; going ahead",
                                                 metadata: ["silent tasks": "\(reconciliation.awaiting.count)"])
                }
                state.reconciliation.reconciled = true
                configuration.logger.info("Reconciled with the master", metadata: ["tasks": "\(state.cluster.tasks.count)"])
                emit(.reconciled)
                return
            }
            // Repeat for silent tasks, with backoff (2 s, 4 s, ...).
            if !reconciliation.awaiting.isEmpty, let last = reconciliation.lastRoundAt,
               now.timeIntervalSince(last) >= max(2, now.timeIntervalSince(started) / 2) {
                let tasks = reconciliation.awaiting.compactMap { state.cluster.tasks[$0] }
                    .map { Call.Reconcile.Task(taskID: TaskID($0.taskID), agentID: $0.agentID.isEmpty ? nil : AgentID($0.agentID)) }
                if !tasks.isEmpty { send(.reconcile(tasks)) }
                reconciliation.lastRoundAt = now
                state.reconciliation.lastRoundAt = now
            }
            return
        }
        if state.connection == .subscribed, let last = reconciliation.lastRoundAt,
           now.timeIntervalSince(last) >= configuration.reconcileIntervalSeconds {
            startReconciliationRound(now: now)
        }
    }
}
