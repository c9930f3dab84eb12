/// Resource bounds: cpus > 0, memoryMb > 0, diskMb >= 0, ports 0-64, all below sane maxima;
/// memorySoftLimit in (0, 1].
enum ResourcesRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        let r = draft.spec.resources
        if let cpus = r.cpus, !(cpus.value > 0 && cpus.value <= Resources.maxCpus) {
            errors.add(cpus.location, "spec.resources.cpus", "must be greater than 0 and at most \(Int(Resources.maxCpus)), got \(cpus.value)")
        }
        if let memory = r.memoryMb, !(memory.value > 0 && memory.value <= Resources.maxMemoryMb) {
            errors.add(memory.location, "spec.resources.memoryMb", "must be between 1 and \(Resources.maxMemoryMb), got \(memory.value)")
        }
        if let disk = r.diskMb, !(disk.value >= 0 && disk.value <= Resources.maxDiskMb) {
            errors.add(disk.location, "spec.resources.diskMb", "must be between 0 and \(Resources.maxDiskMb), got \(disk.value)")
        }
        if let ports = r.ports, !(ports.value >= 0 && ports.value <= Resources.maxPorts) {
            errors.add(ports.location, "spec.resources.ports", "must be between 0 and \(Resources.maxPorts), got \(ports.value)")
        }
        if let soft = r.memorySoftLimit, !(soft.value > 0 && soft.value <= 1) {
            errors.add(soft.location, "spec.resources.memorySoftLimit", "must be greater than 0 and at most 1 (a fraction of memoryMb), got \(soft.value)")
        }
    }
}
