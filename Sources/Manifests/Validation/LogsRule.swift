/// `spec.logs`: maxSizeMb 1-10240, keep 0-100.
enum LogsRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        let logs = draft.spec.logs
        if let size = logs.maxSizeMb, !(size.value >= 1 && size.value <= LogSettings.maxSizeMbLimit) {
            errors.add(size.location, "spec.logs.maxSizeMb", "must be between 1 and \(LogSettings.maxSizeMbLimit), got \(size.value)")
        }
        if let keep = logs.keep, !(keep.value >= 0 && keep.value <= LogSettings.maxKeep) {
            errors.add(keep.location, "spec.logs.keep", "must be between 0 and \(LogSettings.maxKeep), got \(keep.value)")
        }
    }
}
