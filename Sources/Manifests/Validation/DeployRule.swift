/// Deploy settings: stepSize and healthyDeadlineSeconds at least 1; waits not negative; a canary has at
/// least one instance and a hold not negative.
enum DeployRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        let d = draft.spec.deploy
        atLeast(1, d.stepSize, "stepSize", &errors)
        atLeast(0, d.stepWaitSeconds, "stepWaitSeconds", &errors)
        atLeast(1, d.healthyDeadlineSeconds, "healthyDeadlineSeconds", &errors)
        atLeast(0, d.killGraceSeconds, "killGraceSeconds", &errors)
        if let canary = d.canary {
            atLeast(1, canary.instances, "canary.instances", &errors)
            atLeast(0, canary.holdSeconds, "canary.holdSeconds", &errors)
        }
    }

    private static func atLeast(_ minimum: Int, _ value: Located<Int>?, _ name: String, _ errors: inout [ManifestError]) {
        if let value, value.value < minimum {
            errors.add(value.location, "spec.deploy.\(name)", "must be at least \(minimum), got \(value.value)")
        }
    }
}
