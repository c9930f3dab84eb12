import Foundation

extension SchedulerCore {
    /// Builds the value the controller reads (`snapshot()` returns it without further work).
    func publishSnapshot(now: Date) {
        var services: [String: ServiceSnapshot] = [:]
        for (name, service) in state.services {
            let workload = service.workload
            var snapshot = ServiceSnapshot(
                workload: workload,
                effectiveInstances: workload.kind.isLongRunning ? effectiveInstances(workload) : workload.spec.instances,
                tasks: tasksAsDeploysSeeThem(name, now: now), currentDeployID: service.targetDeployID,
                deployStatus: workload.kind.isLongRunning ? service.deployStatus : nil, deploys: service.deploys,
                launchGate: workload.kind.isLongRunning ? LaunchGate.evaluate(service: name, record: service.failures, now: now,
                                                                               policy: configuration.backoff) : .open,
                overrides: state.overrides.filter { $0.service == name }, pendingReason: service.pendingReason,
                jobRuns: workload.kind.isJob ? jobRuns(name).sorted { ($0.startedAt, $0.taskID) < ($1.startedAt, $1.taskID) } : [],
                nextFire: service.nextFire)
            snapshot.runningDeployID = workload.kind.isLongRunning ? runningDeployID(of: service) : workload.deployId
            snapshot.canary = canaryStatus(of: service, now: now)
            services[name] = snapshot
        }
        var taskCounts: [String: Int] = [:]
        var unclaimed: [TaskRecord] = []
        for task in state.cluster.tasks.values {
            if task.isActive { taskCounts[task.agentID, default: 0] += 1 }
            if state.services[task.slot.service] == nil, !task.state.isTerminal { unclaimed.append(task) }
        }
        var agents: [String: AgentStatus] = [:]
        for agent in state.agents.values {
            agents[agent.id] = AgentStatus(id: agent.id, hostname: agent.hostname, attributes: agent.attributes,
                                           state: agentState(agent.id), taskCount: taskCounts[agent.id] ?? 0)
        }
        published = CoreSnapshot(
            frameworkID: state.frameworkID, connection: state.connection, reconciled: state.reconciliation.reconciled,
            revision: state.desired?.revision, services: services, agents: agents,
            unclaimedTasks: unclaimed.sorted { $0.taskID < $1.taskID }, counters: state.counters, takenAt: now)
    }

    /// The current deploy's canary: the phase from its history entry, counts from the last step.
    func canaryStatus(of service: ServiceState, now: Date) -> CanaryStatus? {
        guard let entry = service.deploy(service.targetDeployID), let canary = entry.canary else { return nil }
        var status = service.canaryStatus ?? CanaryStatus(phase: canary.phase, instances: 0, healthy: 0)
        status.phase = canary.phase
        if canary.phase == .aborted { status.reason = entry.reason }
        if canary.phase != .holding { status.holdEndsAt = nil }
        return status
    }
}
