/// Every field Singularity sent that the mapping did not read, for the report. Values that say
/// nothing (null, empty, false) are not listed.
enum UnmappedFields {
    static let mappedRequestKeys: Set<String> = [
        "id", "requestType", "owners", "instances", "numRetriesOnFailure", "schedule", "quartzSchedule",
        "scheduleType", "scheduleTimeZone", "rackSensitive", "taskExecutionTimeLimitMillis", "agentPlacement",
        "slavePlacement", "requiredAgentAttributes", "requiredSlaveAttributes", "allowedAgentAttributes",
        "allowedSlaveAttributes", "group", "daemon",
    ]
    static let mappedDeployKeys: Set<String> = [
        "requestId", "id", "version", "timestamp", "command", "arguments", "shell", "user", "env", "resources", "uris",
        "executorData", "containerInfo", "healthcheck", "healthcheckUri", "healthcheckIntervalSeconds",
        "healthcheckTimeoutSeconds", "healthcheckPortIndex", "healthcheckMaxRetries", "deployHealthTimeoutSeconds",
        "deployInstanceCountPerStep", "deployStepWaitTimeMs", "autoAdvanceDeploySteps", "canaryDeploySettings",
    ]
    static let mappedExecutorKeys: Set<String> = [
        "cmd", "extraCmdLineArgs", "user", "externalArtifacts", "sigKillProcessesAfterMillis", "successfulExitCodes",
    ]
    static let mappedContainerKeys: Set<String> = ["type", "volumes", "docker"]
    static let mappedDockerKeys: Set<String> = [
        "image", "privileged", "network", "portMappings", "forcePullImage", "parameters", "dockerParameters",
    ]

    /// Why some well-known fields have no Converge form.
    static let reasons: [String: String] = [
        "request.loadBalanced": "Converge does not register tasks with a load balancer (Baragon); point your load balancer at the service's tasks",
        "request.skipHealthchecks": "Converge always runs a configured health check",
        "request.rackAffinity": "no Converge form; use placement.allowedAttributes on your rack attribute",
        "request.agentAttributeMinimums": "no Converge form",
        "request.slaveAttributeMinimums": "no Converge form",
        "request.readWriteGroups": "Converge authorizes by owners and API tokens",
        "request.readOnlyGroups": "Converge authorizes by owners and API tokens",
        "request.maxScale": "no cap on `converge scale` in a manifest",
        "request.scheduledExpectedRuntimeMillis": "no Converge form; set timeLimitSeconds to stop overruns",
        "request.killOldNonLongRunningTasksAfterMillis": "no Converge form",
        "request.taskPriorityLevel": "Converge has no task priorities",
        "deploy.customExecutorCmd": "Converge runs tasks with its own executor; SingularityExecutor-only settings are listed separately",
        "deploy.taskEnv": "per-instance environments have no Converge form; use INSTANCE_NO-style logic in the command",
        "deploy.considerHealthyAfterRunningForSeconds": "without a health check, Converge counts a running task as healthy",
        "deploy.skipHealthchecksOnDeploy": "Converge always runs a configured health check",
        "deploy.serviceBasePath": "load balancer setting; Converge has no load balancer integration",
        "deploy.loadBalancerGroups": "load balancer setting; Converge has no load balancer integration",
        "deploy.loadBalancerPortIndex": "load balancer setting; Converge has no load balancer integration",
        "deploy.loadBalancerOptions": "load balancer setting; Converge has no load balancer integration",
        "deploy.s3UploaderAdditionalFiles": "SingularityS3Uploader setting; Converge does not upload logs to S3 from a manifest",
    ]

    static func report(_ parent: SingularityRequestParent, notes: inout MappingNotes) {
        list(parent.rawRequest, prefix: "request", mapped: mappedRequestKeys, notes: &notes)
        list(parent.rawDeploy, prefix: "deploy", mapped: mappedDeployKeys, notes: &notes)
        if let executor = parent.rawDeploy["executorData"]?.object {
            list(executor, prefix: "deploy.executorData", mapped: mappedExecutorKeys, notes: &notes,
                 fallback: "SingularityExecutor setting; not mapped")
        }
        if let container = parent.rawDeploy["containerInfo"]?.object {
            list(container, prefix: "deploy.containerInfo", mapped: mappedContainerKeys, notes: &notes)
            if let docker = container["docker"]?.object {
                list(docker, prefix: "deploy.containerInfo.docker", mapped: mappedDockerKeys, notes: &notes)
            }
        }
        let expiring: [(String, JSONValue?)] = [
            ("expiringScale", parent.expiringScale), ("expiringPause", parent.expiringPause),
            ("expiringBounce", parent.expiringBounce), ("expiringSkipHealthchecks", parent.expiringSkipHealthchecks),
            ("expiringPriority", parent.expiringPriority),
        ]
        for (key, value) in expiring {
            if let value, !value.isEmpty {
                notes.add(key, "a temporary Singularity action in progress; not imported (Converge overrides: `converge scale|pause --for`)")
            }
        }
        if let pending = parent.pendingDeploy?.id ?? parent.requestDeployState?.pendingDeploy?.deployId {
            notes.add("pendingDeploy", "deploy \(pending) was still pending; the active deploy was imported")
        }
    }

    private static func list(
        _ object: [String: JSONValue], prefix: String, mapped: Set<String>, notes: inout MappingNotes,
        fallback: String = "not mapped"
    ) {
        for key in object.keys.sorted() where !mapped.contains(key) {
            let value = object[key]!
            if value.isEmpty || value == .bool(false) { continue }
            let field = "\(prefix).\(key)"
            notes.add(field, "\(reasons[field] ?? fallback) (was \(value.preview()))")
        }
    }
}
