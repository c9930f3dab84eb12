import Foundation
import Logging

extension SchedulerCore {
    /// Called by the timer every 50 ms: ticks after events (coalesced) and at the next due time.
    func tickIfDue() {
        guard started, !stopped else { return }
        let now = Date()
        guard needsTick || now >= nextTickAt else { return }
        let clock = ContinuousClock.now
        tick(now: now)
        let seconds = (ContinuousClock.now - clock) / .seconds(1)
        tickStats = (tickStats.count + 1, tickStats.total + seconds, max(tickStats.longest, seconds))
    }

    /// One round of decisions over the whole state: overrides, health settling, reconciliation, agents,
    /// deploys and jobs, kills, placement. At least once a second.
    func tick(now: Date) {
        needsTick = false
        var plan = TickPlan()
        plan.check(at: expireOverrides(now: now))
        refreshTargets(now: now)
        settleTasks(now: now, plan: &plan)
        checkReconciliation(now: now)
        let ready = state.reconciliation.reconciled && state.desired != nil && state.connection == .subscribed
        if ready {
            for name in state.services.keys { state.services[name]?.pendingReason = nil }
            planAgents(now: now, plan: &plan)
            for name in state.services.keys.sorted() {
                guard let kind = state.services[name]?.workload.kind else { continue }
                if kind.isLongRunning {
                    planDeploy(name, now: now, plan: &plan)
                } else {
                    planJob(name, now: now, plan: &plan)
                }
            }
            // Unclaimed tasks go once reconciliation confirmed them (a task that never answered is left alone).
            for task in state.cluster.tasks.values
            where task.isActive && state.services[task.slot.service] == nil && !state.reconciliation.awaiting.contains(task.taskID) {
                plan.kills.append(KillOrder(taskID: task.taskID, agentID: task.agentID, reason: .serviceRemoved, graceSeconds: nil))
            }
            execute(plan.kills, now: now)
            resendStuckKills(now: now)
            placeAndLaunch(plan.launches, now: now)
        } else if !state.offers.isEmpty, state.connection == .subscribed {
            decline(Array(state.offers.keys))
        }
        pruneEndedTasks()
        flushHistory()
        nextTickAt = min(plan.nextCheckAt ?? now.addingTimeInterval(1), now.addingTimeInterval(1))
        publishSnapshot(now: now)
    }

    /// Tasks without a health check turn healthy after running `settleSeconds`.
    func settleTasks(now: Date, plan: inout TickPlan) {
        let settle = configuration.settleSeconds
        for task in state.cluster.tasks.values where task.state == .running && task.healthySince == nil && !task.hasHealthCheck {
            let settled = TaskLifecycle.settle(task, now: now, settleSeconds: settle)
            if settled != task {
                state.cluster.upsert(settled)
                taskChanged(from: task, to: settled, now: now)
            } else {
                plan.check(at: TaskLifecycle.settlesAt(task, settleSeconds: settle))
            }
        }
    }

    func execute(_ kills: [KillOrder], now: Date) {
        var seen = Set<String>()
        for kill in kills where seen.insert(kill.taskID).inserted {
            guard var task = state.cluster.tasks[kill.taskID], !task.state.isTerminal, task.killRequestedAt == nil else { continue }
            let before = task
            task.killRequestedAt = now
            state.cluster.upsert(task)
            state.taskInfo[kill.taskID, default: TaskExtras()].killReason = kill.reason
            state.taskInfo[kill.taskID, default: TaskExtras()].killGrace = kill.graceSeconds
            state.counters.tasksKilled += 1
            configuration.logger.info("Killing task", metadata: ["task": "\(kill.taskID)", "reason": "\(kill.reason.rawValue)"])
            send(.kill(taskID: kill.taskID, agentID: kill.agentID.isEmpty ? nil : kill.agentID, graceSeconds: kill.graceSeconds))
            taskChanged(from: before, to: task, now: now)
        }
    }

    /// Kills without a terminal update long after their grace period are sent again.
    func resendStuckKills(now: Date) {
        for task in state.cluster.tasks.values where !task.state.isTerminal {
            guard let requested = task.killRequestedAt else { continue }
            let grace = state.taskInfo[task.taskID]?.killGrace ?? 30
            guard now.timeIntervalSince(requested) >= grace + configuration.killResendSeconds else { continue }
            var again = task
            again.killRequestedAt = now
            state.cluster.upsert(again)
            send(.kill(taskID: task.taskID, agentID: task.agentID.isEmpty ? nil : task.agentID, graceSeconds: state.taskInfo[task.taskID]?.killGrace))
        }
    }

    /// Keeps the last `endedTasksKept` terminal tasks per service in memory (history is in the store).
    func pruneEndedTasks() {
        let keep = max(0, configuration.endedTasksKept)
        var ended: [String: [TaskRecord]] = [:]
        for task in state.cluster.tasks.values where task.state.isTerminal { ended[task.slot.service, default: []].append(task) }
        for (_, tasks) in ended where tasks.count > keep {
            let ordered = tasks.sorted { ($0.launchedAt, $0.taskID) < ($1.launchedAt, $1.taskID) }
            for task in ordered.prefix(tasks.count - keep) {
                state.cluster.remove(taskID: task.taskID)
                state.taskInfo[task.taskID] = nil
            }
        }
    }
}
