/// Deploy step settings: `deployHealthTimeoutSeconds`, the incremental (`deployInstanceCountPerStep`,
/// `deployStepWaitTimeMs`) or canary (`canaryDeploySettings`) steps, and the kill grace.
enum DeploySettingsMapping {
    static func map(_ deploy: SingularityDeploy, longRunning: Bool, notes: inout MappingNotes) -> YAMLNode? {
        var map = YAMLMapBuilder()
        let canary = deploy.canaryDeploySettings
        let canaryOn = canary?.enableCanaryDeploy == true
        if canaryOn, let size = canary?.instanceGroupSize {
            map.set("stepSize", max(1, size))
        } else if let size = deploy.deployInstanceCountPerStep {
            map.set("stepSize", max(1, size))
        }
        if canaryOn, let wait = canary?.waitMillisBetweenGroups, wait > 0 {
            map.set("stepWaitSeconds", secondsRoundingUp(millis: wait))
        } else if let wait = deploy.deployStepWaitTimeMs, wait > 0 {
            map.set("stepWaitSeconds", secondsRoundingUp(millis: wait))
        }
        if let timeout = deploy.deployHealthTimeoutSeconds {
            map.set("healthyDeadlineSeconds", max(1, timeout))
        }
        if let kill = deploy.executorData?.sigKillProcessesAfterMillis {
            map.set("killGraceSeconds", secondsRoundingUp(millis: kill))
        }
        if canaryOn {
            if let mode = canary?.acceptanceMode?.uppercased(), mode == "CHECKS" {
                notes.add("deploy.canaryDeploySettings.acceptanceMode", "CHECKS (deploy acceptance hooks) has no Converge equivalent; steps advance on health")
            }
            if let cycles = canary?.canaryCycleCount {
                notes.add("deploy.canaryDeploySettings.canaryCycleCount", "\(cycles): Converge steps through every instance at stepSize; consider deploy.canary for a held canary")
            }
            if let failures = canary?.allowedTasksFailuresPerGroup, failures > 0 {
                notes.add("deploy.canaryDeploySettings.allowedTasksFailuresPerGroup", "\(failures): a failed new task fails a Converge deploy step")
            }
        }
        if deploy.autoAdvanceDeploySteps == false {
            if longRunning {
                // Advanced by hand in Singularity: the closest is a canary that waits for `converge promote`.
                let size = (canaryOn ? canary?.instanceGroupSize : nil) ?? deploy.deployInstanceCountPerStep ?? 1
                map.set("canary", YAMLNode.map([("instances", .int(max(1, size))), ("autoPromote", .bool(false))]))
                notes.add("deploy.autoAdvanceDeploySteps", "false (steps advanced by hand): mapped to deploy.canary with autoPromote: false; a deploy starts \(max(1, size)) canary instance(s) and waits for `converge promote`, then rolls the rest on health")
            } else {
                notes.add("deploy.autoAdvanceDeploySteps", "false: a job has no deploy steps in Converge")
            }
        }
        return map.node
    }
}
