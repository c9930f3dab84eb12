/// Decoding a workload or Defaults `spec` into a `PartialSpec`.
extension NodeDecoder {
    // The accepted names of each mapping, from the format's one table (`ManifestFields`).
    static let specFields = ManifestFields.spec.names
    static let resourceFields = ManifestFields.resources.names
    static let artifactFields = ManifestFields.artifact.names
    static let containerFields = ManifestFields.container.names
    static let dockerFields = ManifestFields.docker.names
    static let portMappingFields = ManifestFields.portMapping.names
    static let volumeFields = ManifestFields.volume.names
    static let healthCheckFields = ManifestFields.healthCheck.names
    static let httpCheckFields = ManifestFields.httpCheck.names
    static let tcpCheckFields = ManifestFields.tcpCheck.names
    static let deployFields = ManifestFields.deploy.names
    static let placementFields = ManifestFields.placement.names
    static let logsFields = ManifestFields.logs.names
    static let canaryFields = ManifestFields.canary.names
    static let protocols = ManifestFields.portMapping.values(of: "protocol")
    static let volumeModes = ManifestFields.volume.values(of: "mode")

    mutating func partialSpec(_ i: Int, _ path: String) -> PartialSpec {
        var spec = PartialSpec()
        guard let entries = mapping(i, path, fields: Self.specFields) else { return spec }
        for entry in entries {
            let v = entry.value
            func p() -> String { fieldPath(path, entry.key) }
            switch entry.key {
            case "instances": spec.instances = int(v, p())
            case "command": spec.command = command(v, p())
            case "env": spec.env = stringMap(v, p())
            case "resources": spec.resources = resources(v, p())
            case "artifacts": spec.artifacts = artifacts(v, p())
            case "container": spec.container = container(v, p())
            case "healthCheck": spec.healthCheck = healthCheck(v, p())
            case "deploy": spec.deploy = deploy(v, p())
            case "placement": spec.placement = placement(v, p())
            case "schedule": spec.schedule = string(v, p())
            case "timeZone": spec.timeZone = string(v, p())
            case "retries": spec.retries = int(v, p())
            case "timeLimitSeconds": spec.timeLimitSeconds = int(v, p())
            case "user": spec.user = string(v, p())
            case "executor": spec.executor = oneOf(ExecutorChoice.self, v, p())
            case "logs": spec.logs = logs(v, p())
            default: break
            }
        }
        return spec
    }

    mutating func logs(_ i: Int, _ path: String) -> PartialLogs {
        var logs = PartialLogs()
        for entry in mapping(i, path, fields: Self.logsFields) ?? [] {
            func p() -> String { fieldPath(path, entry.key) }
            switch entry.key {
            case "maxSizeMb": logs.maxSizeMb = int(entry.value, p())
            case "keep": logs.keep = int(entry.value, p())
            case "compress": logs.compress = bool(entry.value, p())
            default: break
            }
        }
        return logs
    }

    /// A string (shell) or a list of strings (argv).
    mutating func command(_ i: Int, _ path: String) -> Located<Command>? {
        switch kind(i) {
        case .sequenceStart:
            guard let list = stringList(i, path) else { return nil }
            return Located(value: .argv(list.value), location: list.location)
        case .scalar:
            guard let text = string(i, path) else { return nil }
            return Located(value: .shell(text.value), location: text.location)
        default:
            fail(i, path, "expected a string (run by /bin/sh -c) or a list (exec'd), got \(describe(i))")
            return nil
        }
    }

    mutating func resources(_ i: Int, _ path: String) -> PartialResources {
        var resources = PartialResources()
        for entry in mapping(i, path, fields: Self.resourceFields) ?? [] {
            func p() -> String { fieldPath(path, entry.key) }
            switch entry.key {
            case "cpus": resources.cpus = double(entry.value, p())
            case "memoryMb": resources.memoryMb = int(entry.value, p())
            case "diskMb": resources.diskMb = int(entry.value, p())
            case "ports": resources.ports = int(entry.value, p())
            case "memorySoftLimit": resources.memorySoftLimit = double(entry.value, p())
            default: break
            }
        }
        return resources
    }

    mutating func artifacts(_ i: Int, _ path: String) -> Located<[Located<Artifact>]>? {
        guard let items = sequence(i, path) else { return nil }
        var artifacts: [Located<Artifact>] = []
        for (n, item) in items.enumerated() {
            let p = "\(path)[\(n)]"
            guard let entries = mapping(item, p, fields: Self.artifactFields) else {
                continue
            }
            var artifact = Artifact(uri: "")
            var uri: Located<String>? = nil
            for entry in entries {
                func fp() -> String { fieldPath(p, entry.key) }
                switch entry.key {
                case "uri": uri = string(entry.value, fp())
                case "extract": artifact.extract = bool(entry.value, fp())?.value ?? artifact.extract
                case "executable": artifact.executable = bool(entry.value, fp())?.value ?? artifact.executable
                case "cache": artifact.cache = bool(entry.value, fp())?.value ?? artifact.cache
                case "sha256":
                    guard let digest = string(entry.value, fp()) else { break }
                    if digest.value.count == 64, digest.value.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
                        artifact.sha256 = digest.value
                    } else {
                        fail(entry.value, fp(), "must be 64 lowercase hex digits (the SHA-256 of the file), got \(describe(entry.value))")
                    }
                default: break
                }
            }
            guard let uri, !uri.value.isEmpty else {
                fail(item, fieldPath(p, "uri"), "required field missing")
                continue
            }
            artifact.uri = uri.value
            artifacts.append(Located(value: artifact, location: location(item)))
        }
        return Located(value: artifacts, location: location(i))
    }

    mutating func container(_ i: Int, _ path: String) -> PartialContainer? {
        guard let entries = mapping(i, path, fields: Self.containerFields) else { return nil }
        var container = PartialContainer(location: location(i))
        for entry in entries where entry.key == "docker" {
            container.docker = docker(entry.value, fieldPath(path, "docker"))
        }
        return container
    }

    mutating func docker(_ i: Int, _ path: String) -> PartialDocker? {
        guard let entries = mapping(i, path, fields: Self.dockerFields) else { return nil }
        var docker = PartialDocker(location: location(i))
        for entry in entries {
            let v = entry.value
            func p() -> String { fieldPath(path, entry.key) }
            switch entry.key {
            case "image": docker.image = string(v, p())
            case "network": docker.network = oneOf(DockerContainer.Network.self, v, p())
            case "forcePullImage": docker.forcePullImage = bool(v, p())
            case "privileged": docker.privileged = bool(v, p())
            case "parameters": docker.parameters = stringMap(v, p())
            case "portMappings": docker.portMappings = portMappings(v, p())
            case "volumes": docker.volumes = volumes(v, p())
            default: break
            }
        }
        return docker
    }

    mutating func portMappings(_ i: Int, _ path: String) -> Located<[Located<DockerContainer.PortMapping>]>? {
        guard let items = sequence(i, path) else { return nil }
        var result: [Located<DockerContainer.PortMapping>] = []
        for (n, item) in items.enumerated() {
            let p = "\(path)[\(n)]"
            guard let entries = mapping(item, p, fields: Self.portMappingFields) else { continue }
            var hostPort: Int? = nil
            var containerPort: Int? = nil
            var proto = "tcp"
            for entry in entries {
                func fp() -> String { fieldPath(p, entry.key) }
                switch entry.key {
                case "hostPort": hostPort = int(entry.value, fp())?.value
                case "containerPort": containerPort = int(entry.value, fp())?.value
                case "protocol":
                    if let value = string(entry.value, fp()) {
                        if Self.protocols.contains(value.value) {
                            proto = value.value
                        } else {
                            fail(entry.value, fp(), "expected \(Self.protocols.joined(separator: " or ")), got \(describe(entry.value))")
                        }
                    }
                default: break
                }
            }
            guard let hostPort, let containerPort else {
                fail(item, p, "a port mapping needs hostPort (a port index) and containerPort")
                continue
            }
            result.append(Located(
                value: DockerContainer.PortMapping(hostPort: hostPort, containerPort: containerPort, protocol: proto),
                location: location(item)))
        }
        return Located(value: result, location: location(i))
    }

    mutating func volumes(_ i: Int, _ path: String) -> Located<[Located<DockerContainer.Volume>]>? {
        guard let items = sequence(i, path) else { return nil }
        var result: [Located<DockerContainer.Volume>] = []
        for (n, item) in items.enumerated() {
            let p = "\(path)[\(n)]"
            guard let entries = mapping(item, p, fields: Self.volumeFields) else { continue }
            var hostPath: String? = nil
            var containerPath: String? = nil
            var mode = "RO"
            for entry in entries {
                func fp() -> String { fieldPath(p, entry.key) }
                switch entry.key {
                case "hostPath": hostPath = string(entry.value, fp())?.value
                case "containerPath": containerPath = string(entry.value, fp())?.value
                case "mode":
                    if let value = string(entry.value, fp()) {
                        if Self.volumeModes.contains(value.value) {
                            mode = value.value
                        } else {
                            fail(entry.value, fp(), "expected \(Self.volumeModes.joined(separator: " or ")), got \(describe(entry.value))")
                        }
                    }
                default: break
                }
            }
            guard let hostPath, let containerPath, !hostPath.isEmpty, !containerPath.isEmpty else {
                fail(item, p, "a volume needs hostPath and containerPath")
                continue
            }
            result.append(Located(
                value: DockerContainer.Volume(hostPath: hostPath, containerPath: containerPath, mode: mode),
                location: location(item)))
        }
        return Located(value: result, location: location(i))
    }

    mutating func healthCheck(_ i: Int, _ path: String) -> PartialHealthCheck? {
        guard let entries = mapping(i, path, fields: Self.healthCheckFields) else { return nil }
        var check = PartialHealthCheck(location: location(i))
        var probes: [String] = []
        for entry in entries {
            let v = entry.value
            func p() -> String { fieldPath(path, entry.key) }
            switch entry.key {
            case "http":
                probes.append("http")
                guard let fields = mapping(v, p(), fields: Self.httpCheckFields) else { break }
                var pathValue = "/"
                var port: Located<Int>? = nil
                for field in fields {
                    if field.key == "path", let value = string(field.value, fieldPath(p(), "path")) {
                        pathValue = value.value
                        if !pathValue.hasPrefix("/") {
                            fail(field.value, fieldPath(p(), "path"), "must start with '/', got \(describe(field.value))")
                        }
                    }
                    if field.key == "port" { port = int(field.value, fieldPath(p(), "port")) }
                }
                check.probe = Located(value: .http(path: pathValue, port: port?.value ?? 0), location: location(v))
                check.probePortLocation = port?.location ?? location(v)
            case "tcp":
                probes.append("tcp")
                guard let fields = mapping(v, p(), fields: Self.tcpCheckFields) else { break }
                let port = fields.first.flatMap { int($0.value, fieldPath(p(), "port")) }
                check.probe = Located(value: .tcp(port: port?.value ?? 0), location: location(v))
                check.probePortLocation = port?.location ?? location(v)
            case "command":
                probes.append("command")
                if let command = command(v, p()) {
                    check.probe = Located(value: .command(command.value), location: command.location)
                }
            case "intervalSeconds": check.intervalSeconds = int(v, p())
            case "timeoutSeconds": check.timeoutSeconds = int(v, p())
            case "gracePeriodSeconds": check.gracePeriodSeconds = int(v, p())
            case "consecutiveFailures": check.consecutiveFailures = int(v, p())
            default: break
            }
        }
        if probes.count > 1 {
            fail(i, path, "give only one of http, tcp or command, got \(probes.joined(separator: ", "))")
        }
        return check
    }

    mutating func deploy(_ i: Int, _ path: String) -> PartialDeploy {
        var deploy = PartialDeploy()
        for entry in mapping(i, path, fields: Self.deployFields) ?? [] {
            func p() -> String { fieldPath(path, entry.key) }
            switch entry.key {
            case "stepSize": deploy.stepSize = int(entry.value, p())
            case "stepWaitSeconds": deploy.stepWaitSeconds = int(entry.value, p())
            case "healthyDeadlineSeconds": deploy.healthyDeadlineSeconds = int(entry.value, p())
            case "killGraceSeconds": deploy.killGraceSeconds = int(entry.value, p())
            case "canary": deploy.canary = canary(entry.value, p())
            default: break
            }
        }
        return deploy
    }

    mutating func canary(_ i: Int, _ path: String) -> PartialCanary? {
        guard let entries = mapping(i, path, fields: Self.canaryFields) else { return nil }
        var canary = PartialCanary(location: location(i))
        for entry in entries {
            func p() -> String { fieldPath(path, entry.key) }
            switch entry.key {
            case "instances": canary.instances = int(entry.value, p())
            case "holdSeconds": canary.holdSeconds = int(entry.value, p())
            case "autoPromote": canary.autoPromote = bool(entry.value, p())
            default: break
            }
        }
        return canary
    }

    mutating func placement(_ i: Int, _ path: String) -> PartialPlacement {
        var placement = PartialPlacement()
        for entry in mapping(i, path, fields: Self.placementFields) ?? [] {
            func p() -> String { fieldPath(path, entry.key) }
            switch entry.key {
            case "spread": placement.spread = oneOf(Placement.Spread.self, entry.value, p())
            case "rackSensitive": placement.rackSensitive = bool(entry.value, p())
            case "requiredAttributes": placement.requiredAttributes = stringMap(entry.value, p())
            case "allowedAttributes":
                guard let attributes = mapping(entry.value, p(), fields: nil) else { break }
                var map: [String: Located<[String]>] = [:]
                for attribute in attributes {
                    if let list = stringList(attribute.value, fieldPath(p(), attribute.key)) { map[attribute.key] = list }
                }
                placement.allowedAttributes = map
            default: break
            }
        }
        return placement
    }
}
