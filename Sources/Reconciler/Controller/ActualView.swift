import Manifests
import Scheduler

extension ClusterView {
    /// The planner's actual side from what the scheduler core runs: per service the deploy that holds its
    /// capacity and the instances that run, with the request settings the core was last handed.
    ///
    /// - A service whose new deploy is still rolling out, or failed, shows the deploy that runs (plan: `deploy`).
    /// - Overrides show as drift: a scale override as `scale`, a paused service as 0 instances.
    /// - Job kinds show the instance cap they were given (their task count says nothing).
    /// - Tasks of services the core has not been handed yet (a restarted controller's first plan) count by
    ///   their labels: deploy id and instances. Their request settings are not on the tasks; when `hints`
    ///   (the revision being planned) has the service with the same deploy id, its kind and request hash
    ///   stand in, so only template and instance changes show until the core takes the services over.
    public init(actual snapshot: CoreSnapshot, maintenance: [DecommissionSelector], hints: [String: Workload] = [:]) {
        var workloads = snapshot.services.values.map { service -> WorkloadState in
            var state = WorkloadState(service.workload)
            switch service.workload.kind {
            case .service, .worker:
                let running = service.runningDeployID ?? service.currentDeployID
                if running != service.currentDeployID {
                    // A rollout in progress, or a failed deploy whose predecessor keeps running.
                    state.deployId = Self.baseDeployID(running)
                    state.instances = service.tasks.filter { $0.isActive && $0.deployID == running }.count
                } else {
                    state.deployId = Self.baseDeployID(service.currentDeployID)
                    state.instances = service.isPaused ? 0 : service.effectiveInstances
                }
            case .scheduled, .onDemand, .runOnce:
                state.deployId = Self.baseDeployID(service.currentDeployID)
                state.instances = service.isPaused ? 0 : service.effectiveInstances
            }
            return state
        }
        let unclaimed = Dictionary(grouping: snapshot.unclaimedTasks.filter(\.isActive), by: \.slot.service)
        for (name, tasks) in unclaimed where snapshot.services[name] == nil {
            let (deployID, running) = Dictionary(grouping: tasks, by: \.deployID).max { $0.value.count < $1.value.count }!
            let base = Self.baseDeployID(deployID)
            if let hint = hints[name], hint.deployId == base {
                var state = WorkloadState(hint)
                state.instances = hint.kind.isLongRunning ? running.count : hint.spec.instances
                workloads.append(state)
            } else {
                workloads.append(WorkloadState(name: name, kind: hints[name]?.kind.rawValue ?? "Service", deployId: base,
                                               requestHash: hints[name]?.requestHash ?? "", instances: running.count))
            }
        }
        self.init(workloads: workloads, maintenance: Set(maintenance.map(MaintenanceSelector.init)),
                  decommissionedAgents: snapshot.agents.values.filter { $0.state == .decommissioned }.map(\.hostname).sorted())
    }

    /// A bounce runs the same template under `<deployId>-b<time>`: for planning it is the same deploy.
    static func baseDeployID(_ id: String) -> String {
        guard let dash = id.lastIndex(of: "-"), id[id.index(after: dash)...].first == "b" else { return id }
        return String(id[..<dash])
    }
}

extension MaintenanceSelector {
    init(_ selector: DecommissionSelector) {
        if let hostname = selector.hostname {
            self = .hostname(hostname)
        } else {
            self = .attributes(selector.attributes)
        }
    }
}
