import Foundation
import Logging
import Manifests

/// Where a service's canary stands, for the status API and `converge status`.
public struct CanaryStatus: Sendable, Hashable {
    public var phase: CanaryPhase
    /// Canaries wanted and healthy (while undecided).
    public var instances: Int
    public var healthy: Int
    /// Holding: when the hold ends.
    public var holdEndsAt: Date?
    /// Aborted: why.
    public var reason: String?

    public init(phase: CanaryPhase, instances: Int, healthy: Int, holdEndsAt: Date? = nil, reason: String? = nil) {
        self.phase = phase
        self.instances = instances
        self.healthy = healthy
        self.holdEndsAt = holdEndsAt
        self.reason = reason
    }
}

extension SchedulerCore {
    /// Promotes the canary of a service's current deploy (holding or waiting for promotion): the rolling
    /// steps go on. Returns the deploy as recorded.
    public func promote(service name: String) throws -> DeployHistoryEntry {
        try decideCanary(name, now: Date()) { entry, now in
            guard entry.canary?.phase == .holding || entry.canary?.phase == .waitingForPromotion else {
                throw SchedulerCoreError.noCanary(service: name, phase: entry.canary?.phase)
            }
            entry.canary?.phase = .promoted
            entry.canary?.decidedAt = now
            configuration.logger.info("Canary promoted", metadata: ["service": "\(name)", "deploy": "\(entry.deployID)"])
        }
    }

    /// Aborts the canary of a service's current deploy: the canaries are killed, the old deploy keeps running.
    public func abortCanary(service name: String, reason: String = "aborted by hand") throws -> DeployHistoryEntry {
        try decideCanary(name, now: Date()) { entry, now in
            guard entry.canary?.isUndecided == true else {
                throw SchedulerCoreError.noCanary(service: name, phase: entry.canary?.phase)
            }
            entry.canary?.phase = .aborted
            entry.canary?.decidedAt = now
            markCanaryFailed(&entry, reason: reason, now: now)
        }
    }

    private func decideCanary(_ name: String, now: Date, _ change: (inout DeployHistoryEntry, Date) throws -> Void) throws -> DeployHistoryEntry {
        guard var service = state.services[name] else { throw SchedulerCoreError.unknownService(name) }
        guard var entry = service.deploy(service.targetDeployID), entry.outcome == .inProgress else {
            throw SchedulerCoreError.noCanary(service: name, phase: nil)
        }
        try change(&entry, now)
        saveDeploy(entry, in: &service)
        state.services[name] = service
        // A decision must survive a restart at once, not at the next tick.
        flushHistory()
        needsTick = true
        return entry
    }

    func markCanaryFailed(_ entry: inout DeployHistoryEntry, reason: String, now: Date) {
        entry.outcome = .failed
        entry.reason = "canary aborted: \(reason)"
        entry.endedAt = now
        state.counters.deploysFailed += 1
        configuration.logger.warning("Canary aborted", metadata: [
            "service": "\(entry.service)", "deploy": "\(entry.deployID)", "reason": "\(reason)"])
    }

    /// Whether a new deploy of a service starts with a canary: the workload asks for one, it is a new
    /// template (not a bounce), and a previous deploy runs that the canaries can stand beside.
    func startsWithCanary(_ service: ServiceState, target: String) -> Bool {
        guard service.workload.spec.deploy.canary != nil, service.workload.kind.isLongRunning,
              target == service.workload.deployId, service.previousSucceeded(before: target) != nil else { return false }
        return state.cluster.tasks(of: service.workload.name).contains { $0.isActive && $0.deployID != target }
    }

    /// Steps an undecided canary: the previous deploy as complete over every task but the canaries (it keeps
    /// its full count), and the canaries by `CanaryStepper`. Returns false when the canary is decided (or
    /// has no settings any more) and the rolling steps take over in this tick.
    func planCanary(_ name: String, service: inout ServiceState, entry: DeployHistoryEntry, tasks: [TaskRecord],
                    decommissioning: Set<String>, now: Date, plan: inout TickPlan) -> Bool {
        guard var canary = entry.canary, canary.isUndecided else { return false }
        let target = entry.deployID
        let template = service.templates[target] ?? service.workload
        var updated = entry
        guard let settings = template.spec.deploy.canary, let previous = service.previousSucceeded(before: target) else {
            // The canary was removed from the manifest mid-way: go on as a rolling deploy.
            canary.phase = .promoted
            canary.decidedAt = now
            updated.canary = canary
            saveDeploy(updated, in: &service)
            return false
        }
        let instances = effectiveInstances(service.workload)

        let oldTemplate = service.templates[previous.deployID]
        let oldSettings = (oldTemplate ?? service.workload).spec.deploy
        let old = DeployStepper.step(DeployStepper.Input(
            service: name,
            desired: DeploySpec(deployID: previous.deployID, instances: instances, stepSize: oldSettings.stepSize,
                                stepWaitSeconds: Double(oldSettings.stepWaitSeconds),
                                healthyDeadlineSeconds: Double(oldSettings.healthyDeadlineSeconds),
                                startedAt: previous.startedAt, isComplete: true),
            tasks: tasks.filter { $0.deployID != target }, decommissioningAgents: decommissioning,
            launchBlockedUntil: service.launchGate.blockedUntil, now: now))
        plan.kills += old.kills.map { killOrder($0, workload: oldTemplate ?? service.workload) }
        plan.check(at: old.nextCheckAt)
        if let oldTemplate {
            for slot in old.launches {
                plan.launches.append(pendingLaunch(slot: slot, deployID: previous.deployID, workload: oldTemplate,
                                                   identity: TaskIdentity(slot: slot, deployID: previous.deployID, kind: oldTemplate.kind)))
            }
        } else if !old.launches.isEmpty {
            service.pendingReason = "template of deploy \(previous.deployID) unknown since the scheduler restarted"
        }

        let step = CanaryStepper.step(CanaryStepper.Input(
            service: name, deployID: target, settings: settings, desiredInstances: instances,
            healthyDeadlineSeconds: Double(template.spec.deploy.healthyDeadlineSeconds), startedAt: entry.startedAt,
            state: canary, tasks: tasks.filter { $0.deployID == target }, launchBlockedUntil: service.launchGate.blockedUntil, now: now))
        plan.kills += step.kills.map { killOrder($0, workload: template) }
        plan.check(at: step.nextCheckAt)
        for slot in step.launches {
            plan.launches.append(pendingLaunch(slot: slot, deployID: target, workload: template,
                                               identity: TaskIdentity(slot: slot, deployID: target, kind: template.kind)))
        }
        service.canaryStatus = CanaryStatus(phase: step.state.phase, instances: step.canaries, healthy: step.healthy,
                                            holdEndsAt: step.holdEndsAt, reason: step.abortReason)
        if let holdEndsAt = step.holdEndsAt {
            service.deployStatus = .waiting(until: holdEndsAt, healthy: step.healthy, desired: instances)
        } else {
            service.deployStatus = .inProgress(healthy: step.healthy, desired: instances)
        }
        guard step.state != canary || step.abortReason != nil else { return true }
        updated.canary = step.state
        if let reason = step.abortReason {
            markCanaryFailed(&updated, reason: reason, now: now)
            service.deployStatus = .failed(reason: updated.reason ?? reason)
            service.failures = FailureRecord()
        } else {
            configuration.logger.info("Canary \(step.state.phase.rawValue)", metadata: ["service": "\(name)", "deploy": "\(target)"])
        }
        saveDeploy(updated, in: &service)
        needsTick = true
        // Promoted in this step: the rolling steps start next tick.
        return true
    }
}
