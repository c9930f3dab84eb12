import Manifests
import Mesos
import Scheduler

extension ClusterView {
    /// The actual side from a Mesos master's state alone (`converge plan --master`): the live tasks that
    /// carry Converge's labels, grouped per service, with the deploy id, kind and request hash of the
    /// deploy most of them run.
    ///
    /// What the master cannot say: jobs between runs have no task (they show as creates), and Maintenance
    /// progress lives in Converge's own state. When `hints` (the revision being planned) has a service with
    /// the same deploy id and request hash, its fields stand in so that only the instance count can differ.
    public init(master state: MasterState, hints: [String: Workload] = [:]) {
        struct Observed {
            var kind: String?
            var request: String?
        }
        var byService: [String: [String: (count: Int, observed: Observed)]] = [:]
        for framework in state.frameworks {
            for task in framework.tasks where [.staging, .starting, .running].contains(task.state) {
                let labels = Dictionary(task.labels.map { ($0.key, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
                guard let service = labels[TaskLabels.service], let deploy = labels[TaskLabels.deploy] else { continue }
                let base = Self.baseDeployID(deploy)
                var deploys = byService[service, default: [:]]
                var entry = deploys[base, default: (0, Observed())]
                entry.count += 1
                entry.observed.kind = entry.observed.kind ?? labels[TaskLabels.kind]
                entry.observed.request = entry.observed.request ?? labels[TaskLabels.request]
                deploys[base] = entry
                byService[service] = deploys
            }
        }
        let workloads = byService.map { name, deploys -> WorkloadState in
            let (deployID, entry) = deploys.max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }!
            let kind = entry.observed.kind ?? hints[name]?.kind.rawValue ?? WorkloadKind.service.rawValue
            if let hint = hints[name], hint.deployId == deployID, hint.requestHash == entry.observed.request ?? hint.requestHash {
                var state = WorkloadState(hint)
                state.instances = hint.kind.isLongRunning ? entry.count : hint.spec.instances
                return state
            }
            return WorkloadState(name: name, kind: kind, deployId: deployID, requestHash: entry.observed.request ?? "",
                                 instances: entry.count)
        }
        self.init(workloads: workloads)
    }
}
