import Foundation
import Mesos

extension Master {
    /// A state change from an agent: recorded, then sent as an UPDATE with a uuid that the framework
    /// must acknowledge (re-sent with backoff until it does; only the latest per task is kept).
    func agentReported(_ report: AgentStatusReport) {
        guard var task = tasks[report.key], let framework = frameworks[report.key.frameworkID] else { return }
        if agents[task.agentID]?.partitioned == true {
            // The agent cannot reach the master: it keeps the latest update for when it can.
            tasks[report.key]?.heldReport = report
            return
        }
        if task.state.isTerminal { return }
        if report.state == .killing, !framework.taskKillingState { return }
        let status = TaskStatus(taskID: report.key.taskID, state: report.state, message: report.message,
                                source: report.source, reason: report.reason, agentID: report.agentID,
                                executorID: report.executorID, timestamp: Date().timeIntervalSince1970, uuid: Self.newUUID(),
                                healthy: report.healthy)
        task.record(status)
        if report.state.isTerminal { releaseResources(of: &task) }
        task.pending = PendingUpdate(status: status, nextRetry: Date().addingTimeInterval(config.statusUpdateRetryInterval),
                                     backoff: config.statusUpdateRetryInterval)
        tasks[report.key] = task
        pendingAcks.insert(report.key)
        if let due = task.pending?.nextRetry, due < nextRetryDue { nextRetryDue = due }
        send(.update(status), to: report.key.frameworkID)
    }

    /// An update from the master itself (validation errors, reconciliation, agent loss): no uuid.
    func sendMasterUpdate(_ taskID: TaskID, agentID: AgentID?, state: TaskState, reason: TaskStatus.Reason?,
                          message: String?, to frameworkID: FrameworkID, unreachableTime: TimeInfo? = nil) {
        var status = TaskStatus(taskID: taskID, state: state, message: message, source: .master, reason: reason,
                                agentID: agentID, timestamp: Date().timeIntervalSince1970)
        status.unreachableTime = unreachableTime
        send(.update(status), to: frameworkID)
    }

    func acknowledge(_ frameworkID: FrameworkID, _ ack: Call.Acknowledge) {
        acknowledgeToExecutor(frameworkID, ack)
        let key = TaskKey(frameworkID: frameworkID, taskID: ack.taskID)
        guard var task = tasks[key], let pending = task.pending, pending.status.uuid == ack.uuid else { return }
        task.pending = nil
        pendingAcks.remove(key)
        if task.state.isTerminal {
            tasks[key] = nil
            frameworks[frameworkID]?.tasks.remove(key)
            frameworks[frameworkID]?.completedTasks.append(task)
            if let count = frameworks[frameworkID]?.completedTasks.count, count > 1000 {
                frameworks[frameworkID]?.completedTasks.removeFirst(count - 1000)
            }
        } else {
            tasks[key] = task
        }
    }

    func retryPendingUpdates(now: Date) {
        guard now >= nextRetryDue else { return }
        var earliest = Date.distantFuture
        defer { nextRetryDue = earliest }
        for key in pendingAcks {
            guard var task = tasks[key], var pending = task.pending else { pendingAcks.remove(key); continue }
            guard now >= pending.nextRetry, frameworks[key.frameworkID]?.connected == true else {
                earliest = min(earliest, max(pending.nextRetry, now.addingTimeInterval(0.1)))
                continue
            }
            send(.update(pending.status), to: key.frameworkID)
            pending.backoff = min(pending.backoff * 2, config.statusUpdateMaxBackoff)
            pending.nextRetry = now.addingTimeInterval(pending.backoff)
            earliest = min(earliest, pending.nextRetry)
            task.pending = pending
            tasks[key] = task
        }
    }

    // MARK: Reconciliation

    func reconcile(_ frameworkID: FrameworkID, _ reconcile: Call.Reconcile) {
        guard let framework = frameworks[frameworkID] else { return }
        let message = "Reconciliation: Latest task state"
        if reconcile.tasks.isEmpty {
            for key in framework.tasks.sorted(by: { $0.taskID < $1.taskID }) {
                guard let task = tasks[key] else { continue }
                sendMasterUpdate(key.taskID, agentID: task.agentID, state: framework.visible(task.state),
                                 reason: .reconciliation, message: message, to: frameworkID,
                                 unreachableTime: task.unreachableSince.map { TimeInfo(secondsSinceEpoch: $0.timeIntervalSince1970) })
            }
            return
        }
        for entry in reconcile.tasks {
            let key = TaskKey(frameworkID: frameworkID, taskID: entry.taskID)
            if let task = tasks[key] {
                sendMasterUpdate(entry.taskID, agentID: task.agentID, state: framework.visible(task.state),
                                 reason: .reconciliation, message: message, to: frameworkID,
                                 unreachableTime: task.unreachableSince.map { TimeInfo(secondsSinceEpoch: $0.timeIntervalSince1970) })
                continue
            }
            // Unknown to the master: the answer depends on what it knows of the agent.
            let state: TaskState
            let text: String
            if let agentID = entry.agentID, let agent = agents[agentID] {
                if agent.down {
                    state = .goneByOperator
                    text = "Reconciliation: Task is gone"
                } else if agent.unreachable {
                    state = .unreachable
                    text = "Reconciliation: Task is unreachable"
                } else if agent.stoppedAt != nil {
                    continue // Mesos waits for a disconnected agent to re-register or be marked unreachable.
                } else {
                    state = .gone
                    text = "Reconciliation: Task is unknown to the agent"
                }
            } else {
                state = .unknown
                text = "Reconciliation: Task is unknown"
            }
            sendMasterUpdate(entry.taskID, agentID: entry.agentID, state: framework.visible(state),
                             reason: .reconciliation, message: text, to: frameworkID)
        }
    }

    // MARK: Kill

    func kill(_ frameworkID: FrameworkID, _ kill: Call.Kill) async {
        guard let framework = frameworks[frameworkID] else { return }
        let key = TaskKey(frameworkID: frameworkID, taskID: kill.taskID)
        guard let task = tasks[key], !task.state.isTerminal else {
            if tasks[key] == nil {
                sendMasterUpdate(kill.taskID, agentID: kill.agentID, state: framework.visible(.unknown),
                                 reason: .reconciliation, message: "Attempted to kill an unknown task", to: frameworkID)
            }
            return
        }
        if agents[task.agentID]?.isConnected != true { return } // the kill reaches the agent when it comes back
        if task.executorID != nil, !config.virtual {
            killExecutorTask(key, killPolicy: kill.killPolicy)
            return
        }
        let grace = (kill.killPolicy?.gracePeriod ?? task.info.killPolicy?.gracePeriod)?.seconds ?? config.defaultKillGracePeriod
        await killTask(key, grace: grace, reason: nil)
    }

    /// Ends a task on its agent: SIGTERM, then SIGKILL after `grace` (virtual tasks end at once).
    func killTask(_ key: TaskKey, grace: Double, reason: TaskStatus.Reason?) async {
        guard let task = tasks[key], !task.state.isTerminal else { return }
        if task.executorID != nil, !config.virtual {
            killExecutorTask(key, killPolicy: KillPolicy(gracePeriodSeconds: grace))
            return
        }
        if let supervisor, !config.virtual {
            await supervisor.kill(key, grace: grace, cause: .requested(reason: reason))
            return
        }
        agentReported(AgentStatusReport(key: key, agentID: task.agentID, state: .killing))
        agentReported(AgentStatusReport(key: key, agentID: task.agentID, state: .killed,
                                        message: "Command terminated with signal Terminated", reason: reason))
    }
}
