/// Filling in every omitted field; see `WorkloadSpec` for the defaults.
extension PartialSpec {
    func resolved(for kind: WorkloadKind) -> WorkloadSpec {
        var spec = WorkloadSpec()
        spec.instances = instances?.value ?? 1
        spec.command = command?.value
        spec.env = env?.mapValues(\.value) ?? [:]
        spec.resources = Resources(
            cpus: resources.cpus?.value ?? 0.1,
            memoryMb: resources.memoryMb?.value ?? 128,
            diskMb: resources.diskMb?.value ?? 0,
            ports: resources.ports?.value ?? (kind == .service ? 1 : 0),
            memorySoftLimit: resources.memorySoftLimit?.value ?? Resources.defaultMemorySoftLimit)
        spec.artifacts = artifacts?.value.map(\.value) ?? []
        if let docker = container?.docker, let image = docker.image?.value {
            spec.container = Container(docker: DockerContainer(
                image: image,
                network: docker.network?.value ?? .host,
                forcePullImage: docker.forcePullImage?.value ?? false,
                privileged: docker.privileged?.value ?? false,
                parameters: docker.parameters?.mapValues(\.value) ?? [:],
                portMappings: docker.portMappings?.value.map(\.value) ?? [],
                volumes: docker.volumes?.value.map(\.value) ?? []))
        }
        if let check = healthCheck, let probe = check.probe?.value {
            spec.healthCheck = HealthCheck(
                probe: probe,
                intervalSeconds: check.intervalSeconds?.value ?? 5,
                timeoutSeconds: check.timeoutSeconds?.value ?? 2,
                gracePeriodSeconds: check.gracePeriodSeconds?.value ?? 30,
                consecutiveFailures: check.consecutiveFailures?.value ?? 3)
        }
        spec.deploy = DeploySettings(
            stepSize: deploy.stepSize?.value ?? 1,
            stepWaitSeconds: deploy.stepWaitSeconds?.value ?? 0,
            healthyDeadlineSeconds: deploy.healthyDeadlineSeconds?.value ?? 120,
            killGraceSeconds: deploy.killGraceSeconds?.value ?? 30,
            canary: deploy.canary.map {
                CanarySettings(instances: $0.instances?.value ?? 1, holdSeconds: $0.holdSeconds?.value ?? 300,
                               autoPromote: $0.autoPromote?.value ?? false)
            })
        spec.placement = Placement(
            spread: placement.spread?.value ?? .balanced,
            rackSensitive: placement.rackSensitive?.value ?? false,
            requiredAttributes: placement.requiredAttributes?.mapValues(\.value) ?? [:],
            allowedAttributes: placement.allowedAttributes?.mapValues(\.value) ?? [:])
        if let schedule { spec.schedule = try? CronExpression(parsing: schedule.value) }
        spec.timeZone = timeZone?.value ?? "UTC"
        spec.retries = retries?.value ?? 0
        spec.timeLimitSeconds = timeLimitSeconds?.value
        spec.user = user?.value
        spec.executor = executor?.value ?? .converge
        spec.logs = LogSettings(maxSizeMb: logs.maxSizeMb?.value ?? 10, keep: logs.keep?.value ?? 5,
                                compress: logs.compress?.value ?? true)
        return spec
    }
}
