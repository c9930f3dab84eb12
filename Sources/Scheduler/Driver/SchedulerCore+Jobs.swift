import Foundation
import Logging
import Manifests

/// Why `trigger`, `setOverride` or `removeOverride` refused.
public enum SchedulerCoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownService(String)
    case notOnDemand(service: String, kind: String)
    case tooManyRuns(service: String, running: Int, instances: Int)
    case invalidOverride(String)
    case noCanary(service: String, phase: CanaryPhase?)

    public var description: String {
        switch self {
        case .unknownService(let name): "unknown service \(name)"
        case .notOnDemand(let name, let kind): "service \(name) is \(kind), not OnDemand"
        case .tooManyRuns(let name, let running, let instances):
            "service \(name) has \(running) runs going (at most \(instances))"
        case .invalidOverride(let message): message
        case .noCanary(let name, let phase):
            "service \(name) has no canary to decide" + (phase.map { " (its canary is \($0.rawValue))" } ?? "")
        }
    }
}

extension SchedulerCore {
    func jobPolicy(_ workload: Workload) -> JobPolicy {
        JobPolicy(retries: workload.spec.retries, timeLimitSeconds: workload.spec.timeLimitSeconds.map(Double.init),
                  retryDelaySeconds: configuration.jobRetryDelaySeconds)
    }

    /// Keeps a job's run list in step with its task.
    func updateJobRun(_ task: TaskRecord, now: Date) {
        guard state.services[task.slot.service] != nil else { return }
        let extras = state.taskInfo[task.taskID]
        let outcome: JobRun.Outcome = task.state == .finished ? .succeeded : task.state.isTerminal ? .failed : .running
        var run = state.services[task.slot.service]?.jobRuns[task.taskID]
            ?? JobRun(taskID: task.taskID, agentID: task.agentID, fireTime: extras?.fireTime ?? task.launchedAt,
                      attempt: extras?.attempt ?? 0, startedAt: task.launchedAt)
        run.agentID = task.agentID
        if run.outcome != outcome {
            run.outcome = outcome
            if outcome != .running { run.endedAt = now }
        }
        state.services[task.slot.service]?.jobRuns[task.taskID] = run
        trimJobRuns(task.slot.service)
    }

    func trimJobRuns(_ name: String, keep: Int = 50) {
        guard let runs = state.services[name]?.jobRuns, runs.count > keep else { return }
        let ordered = runs.values.sorted { ($0.startedAt, $0.taskID) < ($1.startedAt, $1.taskID) }
        for run in ordered.prefix(runs.count - keep) where run.outcome != .running {
            state.services[name]?.jobRuns[run.taskID] = nil
        }
    }

    /// Runs as the job deciders see them: runs whose task vanished during a restart count as failed.
    func jobRuns(_ name: String) -> [JobRun] {
        guard let service = state.services[name] else { return [] }
        return service.jobRuns.values.map { run in
            guard run.outcome == .running, state.cluster.tasks[run.taskID] == nil else { return run }
            var lost = run
            lost.outcome = .failed
            lost.endedAt = run.startedAt
            return lost
        }.sorted { ($0.fireTime, $0.attempt, $0.startedAt) < ($1.fireTime, $1.attempt, $1.startedAt) }
    }

    func planJob(_ name: String, now: Date, plan: inout TickPlan) {
        guard let service = state.services[name] else { return }
        let workload = service.workload
        let policy = jobPolicy(workload)
        let runs = jobRuns(name)
        let paused = state.overrides.contains { $0.service == name && $0.kind == .pause }
        let deployStart = service.deploy(workload.deployId)?.startedAt ?? now
        var decision = JobDecision()
        switch workload.kind {
        case .scheduled:
            let cron: (any FireSchedule)? = workload.spec.schedule.map {
                CronSchedule(expression: $0, timeZone: TimeZone(identifier: workload.spec.timeZone) ?? TimeZone(identifier: "UTC")!)
            }
            guard let schedule = state.scheduleOverrides[name] ?? cron else { return }
            decision = ScheduledJob.decide(ScheduledJob.Input(schedule: schedule, policy: policy, runs: runs, notBefore: deployStart, now: now))
            state.services[name]?.nextFire = schedule.nextFire(after: now)
        case .onDemand:
            decision = OnDemandJob.maintain(runs: runs, policy: policy, now: now)
            for queued in service.queuedTriggers where !paused {
                let identity = TaskIdentity(slot: SlotID(service: name, instance: queued.instance), deployID: workload.deployId,
                                            kind: workload.kind, fireTime: queued.trigger.requestedAt, attempt: 0)
                plan.launches.append(pendingLaunch(slot: identity.slot, deployID: workload.deployId, workload: workload,
                                                   identity: identity, taskID: queued.taskID, trigger: queued.trigger))
            }
        case .runOnce:
            let ofDeploy = runs.filter { TaskIdentity(taskID: $0.taskID)?.deployID == workload.deployId }
            decision = RunOnceJob.decide(deployStartedAt: deployStart, runs: ofDeploy, policy: policy, now: now).0
        case .service, .worker:
            return
        }
        plan.check(at: decision.nextCheckAt)
        for action in decision.actions {
            switch action {
            case .kill(let taskID, let agentID, let reason):
                plan.kills.append(KillOrder(taskID: taskID, agentID: agentID, reason: reason,
                                            graceSeconds: Double(workload.spec.deploy.killGraceSeconds)))
            case .launch(let fireTime, let attempt):
                guard !paused else { continue }
                let trigger = service.triggerArguments[fireTime]
                let instance = runs.first { $0.fireTime == fireTime }.flatMap { TaskIdentity(taskID: $0.taskID)?.slot.instance } ?? 0
                let identity = TaskIdentity(slot: SlotID(service: name, instance: instance), deployID: workload.deployId,
                                            kind: workload.kind, fireTime: fireTime, attempt: attempt)
                plan.launches.append(pendingLaunch(slot: identity.slot, deployID: workload.deployId, workload: workload,
                                                   identity: identity, trigger: trigger))
            }
        }
    }

    func enqueueTrigger(service name: String, arguments: [String], environment: [String: String], now: Date) throws -> String {
        guard let service = state.services[name] else { throw SchedulerCoreError.unknownService(name) }
        guard service.workload.kind == .onDemand else {
            throw SchedulerCoreError.notOnDemand(service: name, kind: service.workload.kind.rawValue)
        }
        let running = jobRuns(name).filter { $0.outcome == .running }.count
        let admission = OnDemandJob.admit(running: running + service.queuedTriggers.count, queued: 0,
                                          instances: service.workload.spec.instances, queueLimit: configuration.triggerQueueLimit)
        guard admission == .launch else {
            throw SchedulerCoreError.tooManyRuns(service: name, running: running + service.queuedTriggers.count,
                                                 instances: max(1, service.workload.spec.instances))
        }
        // Trigger times are whole seconds in task ids: keep them distinct per service.
        var requestedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let taken = Set(service.jobRuns.values.map(\.fireTime)).union(service.queuedTriggers.map(\.trigger.requestedAt))
        while taken.contains(requestedAt) { requestedAt.addTimeInterval(1) }
        let usedInstances = Set(jobRuns(name).filter { $0.outcome == .running }.compactMap { TaskIdentity(taskID: $0.taskID)?.slot.instance })
            .union(service.queuedTriggers.map(\.instance))
        let instance = (0...).first { !usedInstances.contains($0) }!
        let identity = TaskIdentity(slot: SlotID(service: name, instance: instance), deployID: service.workload.deployId,
                                    kind: .onDemand, fireTime: requestedAt, attempt: 0)
        let taskID = identity.makeTaskID()
        let trigger = Trigger(id: taskID, arguments: arguments, environment: environment, requestedAt: requestedAt)
        state.services[name]?.queuedTriggers.append(QueuedTrigger(trigger: trigger, taskID: taskID, instance: instance))
        state.services[name]?.triggerArguments[requestedAt] = trigger
        configuration.logger.info("On-demand run triggered", metadata: ["service": "\(name)", "task": "\(taskID)", "arguments": "\(arguments.count)"])
        needsTick = true
        return taskID
    }
}

extension SchedulerCore {
    /// Testing hook: fire a Scheduled job on this schedule instead of its cron (nil restores the cron).
    func setFireSchedule(_ schedule: (any FireSchedule)?, for service: String) {
        state.scheduleOverrides[service] = schedule
        needsTick = true
    }
}
