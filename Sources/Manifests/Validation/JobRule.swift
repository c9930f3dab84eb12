/// Job kinds: retries 0-100, timeLimitSeconds at least 1.
enum JobRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        if let retries = draft.spec.retries, !(0...100).contains(retries.value) {
            errors.add(retries.location, "spec.retries", "must be between 0 and 100, got \(retries.value)")
        }
        if let limit = draft.spec.timeLimitSeconds, limit.value < 1 {
            errors.add(limit.location, "spec.timeLimitSeconds", "must be at least 1, got \(limit.value)")
        }
    }
}
