/// `instances`: 0-1000 for Service and Worker (0 keeps it deployed but stopped), 1-1000 for job kinds
/// (instances per run; for OnDemand, the cap on concurrent runs).
enum InstancesRule: WorkloadRule {
    static let maximum = 1000

    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        guard let instances = draft.spec.instances else { return }
        let minimum = draft.kind.isLongRunning ? 0 : 1
        if instances.value < minimum || instances.value > maximum {
            errors.add(
                instances.location, "spec.instances",
                "must be between \(minimum) and \(maximum) for \(draft.kind.rawValue), got \(instances.value)")
        }
    }
}
