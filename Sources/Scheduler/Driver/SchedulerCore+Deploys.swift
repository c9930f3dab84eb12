import Foundation
import Logging
import Manifests

extension SchedulerCore {
    func applyDesired(_ desired: DesiredState, now: Date) {
        guard state.desired != desired else { return }
        state.desired = desired
        for (name, workload) in desired.workloads {
            if var service = state.services[name] {
                service.workload = workload
                service.templates[workload.deployId] = workload
                // A bounce of this template runs the latest request settings too.
                if service.targetDeployID.hasPrefix(workload.deployId + "-b") { service.templates[service.targetDeployID] = workload }
                state.services[name] = service
            } else {
                state.services[name] = loadService(workload)
            }
        }
        for name in state.services.keys where desired.workloads[name] == nil {
            configuration.logger.info("Service removed from the desired set", metadata: ["service": "\(name)"])
            state.services[name] = nil
        }
        refreshTargets(now: now)
        needsTick = true
    }

    /// A service seen for the first time since start: its deploy history and job runs from the store.
    func loadService(_ workload: Workload) -> ServiceState {
        var service = ServiceState(workload: workload, targetDeployID: workload.deployId)
        do {
            service.deploys = try store.deployHistory(service: workload.name)
            if workload.kind.isJob {
                for entry in try store.taskHistory(service: workload.name, limit: 200) where service.jobRuns[entry.taskID] == nil {
                    guard let identity = TaskIdentity(taskID: entry.taskID) else { continue }
                    let outcome: JobRun.Outcome = entry.state == .finished ? .succeeded : entry.state.isTerminal ? .failed : .running
                    service.jobRuns[entry.taskID] = JobRun(
                        taskID: entry.taskID, agentID: entry.agentID, fireTime: identity.fireTime ?? entry.launchedAt,
                        attempt: identity.attempt ?? 0, startedAt: entry.launchedAt, outcome: outcome, endedAt: entry.endedAt)
                }
            }
        } catch {
            configuration.logger.error("Cannot read history", metadata: ["service": "\(workload.name)", "error": "\(error)"])
        }
        // Runs the master reported before the service was known.
        for task in state.cluster.tasks(of: workload.name) where workload.kind.isJob {
            updateJobRun(task, now: Date())
        }
        return service
    }

    /// The deploy a service works toward: the workload's deploy id, or the latest bounce of it.
    func targetDeployID(of service: ServiceState) -> String {
        let base = service.workload.deployId
        guard service.workload.kind.isLongRunning else { return base }
        if let bounce = state.overrides.first(where: { $0.service == service.workload.name && $0.kind == .bounce }) {
            return "\(base)-b\(Int64(bounce.createdAt.timeIntervalSince1970.rounded(.down)))"
        }
        if let earlier = service.deploys.first(where: { $0.deployID.hasPrefix(base + "-b") }) {
            return earlier.deployID
        }
        return base
    }

    /// Starts a deploy for every service whose target changed (a new template, a bounce).
    func refreshTargets(now: Date) {
        for name in state.services.keys {
            guard let current = state.services[name] else { continue }
            let target = targetDeployID(of: current)
            guard current.targetDeployID != target || current.deploy(target) == nil || current.templates[target] == nil else { continue }
            var service = current
            if service.templates[target] == nil { service.templates[target] = service.workload }
            if service.deploy(target) == nil {
                for entry in service.deploys where entry.outcome == .inProgress {
                    var superseded = entry
                    superseded.outcome = .superseded
                    superseded.endedAt = now
                    saveDeploy(superseded, in: &service)
                }
                let isJob = service.workload.kind.isJob
                let entry = DeployHistoryEntry(service: name, deployID: target, revision: state.desired?.revision, startedAt: now,
                                               endedAt: isJob ? now : nil, outcome: isJob ? .succeeded : .inProgress,
                                               canary: startsWithCanary(service, target: target) ? CanaryState(phase: .starting) : nil)
                configuration.logger.info("Deploy started", metadata: ["service": "\(name)", "deploy": "\(target)"])
                // A new template starts with a clean failure streak.
                service.failures = FailureRecord()
                saveDeploy(entry, in: &service)
                // Templates needed from now on: the target's and the one a failure would fall back to.
                let keep = [target, service.workload.deployId, service.previousSucceeded(before: target)?.deployID].compactMap { $0 }
                service.templates = service.templates.filter { keep.contains($0.key) }
            }
            if service.targetDeployID != target {
                service.targetDeployID = target
                service.deployStatus = nil
                service.canaryStatus = nil
            }
            state.services[name] = service
        }
    }

    func saveDeploy(_ entry: DeployHistoryEntry, in service: inout ServiceState) {
        service.upsertDeploy(entry)
        state.pendingDeploys.append(entry)
        emit(.deploy(entry))
    }

    /// Instances after overrides: pause 0, scale its value, spreadAllAgents every eligible agent.
    func effectiveInstances(_ workload: Workload) -> Int {
        let overrides = state.overrides.filter { $0.service == workload.name }
        if overrides.contains(where: { $0.kind == .pause }) { return 0 }
        if let scale = overrides.first(where: { $0.kind == .scale })?.value { return max(0, scale) }
        if workload.spec.placement.spread == .spreadAllAgents {
            let constraints = workload.spec.placement
            return state.agents.values.filter { agent in
                agentState(agent.id).acceptsNewTasks
                    && constraints.requiredAttributes.allSatisfy { agent.attributes[$0.key] == $0.value }
                    && constraints.allowedAttributes.allSatisfy { key, values in agent.attributes[key].map(values.contains) ?? false }
            }.count
        }
        return workload.spec.instances
    }

    /// Steps one long-running service's deploy: launches, kills, outcome.
    func planDeploy(_ name: String, now: Date, plan: inout TickPlan) {
        guard var service = state.services[name] else { return }
        defer { state.services[name] = service }
        let target = service.targetDeployID
        guard let entry = service.deploy(target) else { return }
        let tasks = tasksAsDeploysSeeThem(name, now: now)
        service.launchGate = LaunchGate.evaluate(service: name, record: service.failures, now: now, policy: configuration.backoff)
        let decommissioning = Set(state.agentStates.filter { $0.value == .decommissioning }.keys)

        if entry.outcome == .inProgress,
           planCanary(name, service: &service, entry: entry, tasks: tasks, decommissioning: decommissioning, now: now, plan: &plan) {
            return
        }
        var stepped = entry
        if entry.outcome == .failed {
            guard let previous = service.previousSucceeded(before: target) else {
                plan.kills += DeployStepper.abandon(deployID: target, tasks: tasks, reason: .deployFailed)
                    .map { killOrder($0, workload: service.workload) }
                service.deployStatus = .failed(reason: entry.reason ?? "deploy failed")
                return
            }
            stepped = previous
        }
        let template = service.templates[stepped.deployID]
        let settings = (template ?? service.workload).spec.deploy
        let spec = DeploySpec(
            deployID: stepped.deployID, instances: effectiveInstances(service.workload), stepSize: settings.stepSize,
            stepWaitSeconds: Double(settings.stepWaitSeconds), healthyDeadlineSeconds: Double(settings.healthyDeadlineSeconds),
            // A promoted canary's rolling steps get their own healthy deadline.
            startedAt: stepped.canary?.decidedAt ?? stepped.startedAt, isComplete: stepped.outcome == .succeeded || stepped.deployID != target)
        let step = DeployStepper.step(DeployStepper.Input(
            service: name, desired: spec, tasks: tasks, decommissioningAgents: decommissioning,
            launchBlockedUntil: service.launchGate.blockedUntil, now: now))
        plan.kills += step.kills.map { killOrder($0, workload: template ?? service.workload) }
        plan.check(at: step.nextCheckAt)
        if let template {
            for slot in step.launches {
                plan.launches.append(pendingLaunch(slot: slot, deployID: stepped.deployID, workload: template,
                                                   identity: TaskIdentity(slot: slot, deployID: stepped.deployID, kind: template.kind)))
            }
        } else if !step.launches.isEmpty {
            service.pendingReason = "template of deploy \(stepped.deployID) unknown since the scheduler restarted"
        }
        guard stepped.deployID == target else {
            service.deployStatus = .failed(reason: entry.reason ?? "deploy failed")
            return
        }
        service.deployStatus = step.status
        switch step.status {
        case .succeeded where entry.outcome == .inProgress:
            var done = entry
            done.outcome = .succeeded
            done.endedAt = now
            state.counters.deploysSucceeded += 1
            configuration.logger.info("Deploy succeeded", metadata: ["service": "\(name)", "deploy": "\(target)"])
            saveDeploy(done, in: &service)
        case .failed(let reason) where entry.outcome == .inProgress:
            var failed = entry
            failed.outcome = .failed
            failed.reason = reason
            failed.endedAt = now
            state.counters.deploysFailed += 1
            configuration.logger.warning("Deploy failed", metadata: ["service": "\(name)", "deploy": "\(target)", "reason": "\(reason)"])
            saveDeploy(failed, in: &service)
            // The failed template's crashes must not hold back the deploy that keeps running.
            service.failures = FailureRecord()
            needsTick = true
        default:
            break
        }
    }

    /// A service's tasks; with a skipHealthChecks override, RUNNING counts as healthy.
    func tasksAsDeploysSeeThem(_ name: String, now: Date) -> [TaskRecord] {
        let tasks = state.cluster.tasks(of: name)
        guard state.overrides.contains(where: { $0.service == name && $0.kind == .skipHealthChecks }) else { return tasks }
        return tasks.map { task in
            guard task.isActive, task.state == .running, task.healthySince == nil else { return task }
            var healthy = task
            healthy.healthySince = task.runningSince ?? now
            return healthy
        }
    }

    func killOrder(_ kill: TaskKill, workload: Workload?) -> KillOrder {
        KillOrder(taskID: kill.taskID, agentID: kill.agentID, reason: kill.reason,
                  graceSeconds: workload.map { Double($0.spec.deploy.killGraceSeconds) })
    }

    func pendingLaunch(slot: SlotID, deployID: String, workload: Workload, identity: TaskIdentity,
                       taskID: String? = nil, trigger: Trigger? = nil) -> PendingLaunch {
        let spec = workload.spec
        let placement = spec.placement
        let spread: Spread = switch placement.spread {
        case .balanced: .balanced
        case .greedy: .greedy
        case .separateHosts: .separateHosts
        case .spreadAllAgents: .spreadAllAgents
        }
        var resources = ResourceAmounts(cpus: spec.resources.cpus, memMb: Double(spec.resources.memoryMb), diskMb: Double(spec.resources.diskMb))
        // A task under the Converge executor needs room for its executor too.
        if let executor = TaskInfoBuilder.executor(for: workload, configured: configuration.executor) {
            resources = resources + executor.resources
        }
        let requirement = TaskRequirement(
            resources: resources,
            portCount: spec.resources.ports,
            constraints: PlacementConstraints(requiredAttributes: placement.requiredAttributes,
                                              allowedAttributes: placement.allowedAttributes.mapValues(Set.init),
                                              spread: spread, rackSensitive: placement.rackSensitive))
        let pending = PendingTask(slot: slot, deployID: deployID, requirement: requirement,
                                  desiredInstances: max(1, workload.kind.isLongRunning ? effectiveInstances(workload) : spec.instances))
        return PendingLaunch(pending: pending, identity: identity, workload: workload, taskID: taskID, trigger: trigger)
    }
}
