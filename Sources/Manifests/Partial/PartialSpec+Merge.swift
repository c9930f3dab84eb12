/// Defaults semantics: the nearer document wins; maps merge key by key; lists and scalars replace.
extension PartialSpec {
    /// `self` (nearer) laid over `base` (farther).
    func merged(over base: PartialSpec) -> PartialSpec {
        PartialSpec(
            instances: instances ?? base.instances,
            command: command ?? base.command,
            env: mergeMaps(env, over: base.env),
            resources: resources.merged(over: base.resources),
            artifacts: artifacts ?? base.artifacts,
            container: mergeOptional(container, base.container) { $0.merged(over: $1) },
            healthCheck: mergeOptional(healthCheck, base.healthCheck) { $0.merged(over: $1) },
            deploy: deploy.merged(over: base.deploy),
            placement: placement.merged(over: base.placement),
            schedule: schedule ?? base.schedule,
            timeZone: timeZone ?? base.timeZone,
            retries: retries ?? base.retries,
            timeLimitSeconds: timeLimitSeconds ?? base.timeLimitSeconds,
            user: user ?? base.user,
            executor: executor ?? base.executor,
            logs: PartialLogs(maxSizeMb: logs.maxSizeMb ?? base.logs.maxSizeMb, keep: logs.keep ?? base.logs.keep,
                              compress: logs.compress ?? base.logs.compress))
    }
}

extension PartialResources {
    func merged(over base: PartialResources) -> PartialResources {
        PartialResources(
            cpus: cpus ?? base.cpus, memoryMb: memoryMb ?? base.memoryMb, diskMb: diskMb ?? base.diskMb,
            ports: ports ?? base.ports, memorySoftLimit: memorySoftLimit ?? base.memorySoftLimit)
    }
}

extension PartialContainer {
    func merged(over base: PartialContainer) -> PartialContainer {
        PartialContainer(location: location, docker: mergeOptional(docker, base.docker) { $0.merged(over: $1) })
    }
}

extension PartialDocker {
    func merged(over base: PartialDocker) -> PartialDocker {
        PartialDocker(
            location: location,
            image: image ?? base.image,
            network: network ?? base.network,
            forcePullImage: forcePullImage ?? base.forcePullImage,
            privileged: privileged ?? base.privileged,
            parameters: mergeMaps(parameters, over: base.parameters),
            portMappings: portMappings ?? base.portMappings,
            volumes: volumes ?? base.volumes)
    }
}

extension PartialHealthCheck {
    func merged(over base: PartialHealthCheck) -> PartialHealthCheck {
        let takeOwnProbe = probe != nil
        return PartialHealthCheck(
            location: location,
            probe: probe ?? base.probe,
            probePortLocation: takeOwnProbe ? probePortLocation : base.probePortLocation,
            intervalSeconds: intervalSeconds ?? base.intervalSeconds,
            timeoutSeconds: timeoutSeconds ?? base.timeoutSeconds,
            gracePeriodSeconds: gracePeriodSeconds ?? base.gracePeriodSeconds,
            consecutiveFailures: consecutiveFailures ?? base.consecutiveFailures)
    }
}

extension PartialDeploy {
    func merged(over base: PartialDeploy) -> PartialDeploy {
        PartialDeploy(
            stepSize: stepSize ?? base.stepSize,
            stepWaitSeconds: stepWaitSeconds ?? base.stepWaitSeconds,
            healthyDeadlineSeconds: healthyDeadlineSeconds ?? base.healthyDeadlineSeconds,
            killGraceSeconds: killGraceSeconds ?? base.killGraceSeconds,
            canary: mergeOptional(canary, base.canary) { $0.merged(over: $1) })
    }
}

extension PartialCanary {
    func merged(over base: PartialCanary) -> PartialCanary {
        PartialCanary(
            location: location, instances: instances ?? base.instances, holdSeconds: holdSeconds ?? base.holdSeconds,
            autoPromote: autoPromote ?? base.autoPromote)
    }
}

extension PartialPlacement {
    func merged(over base: PartialPlacement) -> PartialPlacement {
        PartialPlacement(
            spread: spread ?? base.spread,
            rackSensitive: rackSensitive ?? base.rackSensitive,
            requiredAttributes: mergeMaps(requiredAttributes, over: base.requiredAttributes),
            allowedAttributes: mergeMaps(allowedAttributes, over: base.allowedAttributes))
    }
}

private func mergeMaps<V>(_ near: [String: V]?, over far: [String: V]?) -> [String: V]? {
    guard let near else { return far }
    guard let far else { return near }
    return far.merging(near) { _, nearer in nearer }
}

private func mergeOptional<T>(_ near: T?, _ far: T?, _ merge: (T, T) -> T) -> T? {
    switch (near, far) {
    case let (near?, far?): return merge(near, far)
    default: return near ?? far
    }
}
