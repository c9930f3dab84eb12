/// Command, arguments, executor data, env, resources, artifacts and container.
enum CommandMapping {
    /// The `command` value: a string (run by /bin/sh -c) or a list (exec'd); nil with a reason when
    /// the deploy has nothing to run.
    static func command(_ deploy: SingularityDeploy, notes: inout MappingNotes) -> Swift.Result<YAMLNode?, SkipReason> {
        if let executor = deploy.executorData, let cmd = executor.cmd, !cmd.isEmpty {
            let extra = executor.extraCmdLineArgs ?? []
            let text = extra.isEmpty ? cmd : ([cmd] + extra).joined(separator: " ")
            if !extra.isEmpty {
                notes.add("deploy.executorData.extraCmdLineArgs", "appended to the command, as SingularityExecutor does")
            }
            return .success(.string(text))
        }
        guard let command = deploy.command, !command.isEmpty else {
            if deploy.containerInfo?.docker?.image != nil { return .success(nil) }
            return .failure(SkipReason("the active deploy has no command (nor executorData.cmd, nor a docker image)"))
        }
        let arguments = deploy.arguments ?? []
        switch (deploy.shell, arguments.isEmpty) {
        case (true, false):
            notes.add("deploy.arguments", "shell is true, so the arguments were appended to the shell command, each quoted")
            return .success(.string(([command] + arguments.map(shellQuoted)).joined(separator: " ")))
        case (false, _), (nil, false):
            return .success(.list(([command] + arguments).map(YAMLNode.string)))
        default:
            return .success(.string(command))
        }
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy {
            ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5A)
                || ($0.value >= 0x61 && $0.value <= 0x7A) || "-_./=:,+@%".unicodeScalars.contains($0)
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func env(_ deploy: SingularityDeploy, notes: inout MappingNotes) -> YAMLNode? {
        guard let env = deploy.env, !env.isEmpty else { return nil }
        var kept: [String: String] = [:]
        for (key, value) in env {
            if isEnvName(key) {
                kept[key] = value
            } else {
                notes.add("deploy.env.\(key)", "not a valid environment variable name for Converge; left out")
            }
        }
        return kept.isEmpty ? nil : .sortedMap(kept)
    }

    static func isEnvName(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard let first = bytes.first, !(48...57).contains(first) else { return false }
        return bytes.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    /// `resources`; `ports` is the number the manifest ends up with (health check and port mappings
    /// may need more than Singularity's numPorts).
    static func resources(_ deploy: SingularityDeploy, ports: Int?, notes: inout MappingNotes) -> YAMLNode? {
        var map = YAMLMapBuilder()
        if let r = deploy.resources {
            if let cpus = r.cpus {
                if cpus > 0 && cpus <= 512 {
                    map.set("cpus", .double(cpus))
                } else {
                    notes.add("deploy.resources.cpus", "\(cpus) is outside Converge's range (0, 512]; Converge's default applies")
                }
            }
            if let memory = r.memoryMb {
                let mb = Int(memory.rounded(.up))
                if mb >= 1 && mb <= 4 * 1024 * 1024 {
                    map.set("memoryMb", mb)
                    if Double(mb) != memory { notes.add("deploy.resources.memoryMb", "\(memory) rounded up to \(mb) (whole MB)") }
                } else {
                    notes.add("deploy.resources.memoryMb", "\(memory) is outside Converge's range; Converge's default applies")
                }
            }
            if let disk = r.diskMb, disk > 0 {
                let mb = Int(disk.rounded(.up))
                if mb <= 64 * 1024 * 1024 {
                    map.set("diskMb", mb)
                    if Double(mb) != disk { notes.add("deploy.resources.diskMb", "\(disk) rounded up to \(mb) (whole MB)") }
                } else {
                    notes.add("deploy.resources.diskMb", "\(disk) is outside Converge's range; left out")
                }
            }
        } else {
            notes.add("deploy.resources", "absent: Singularity's configured defaults applied there; Converge's defaults (0.1 cpus, 128 MB) apply here")
        }
        if let ports { map.set("ports", ports) }
        return map.node
    }

    static func artifacts(_ deploy: SingularityDeploy, raw: [String: JSONValue], notes: inout MappingNotes) -> YAMLNode? {
        var items: [YAMLNode] = []
        for (n, artifact) in (deploy.uris ?? []).enumerated() {
            var map = YAMLMapBuilder()
            map.set("uri", artifact.uri)
            map.set("extract", artifact.extract)
            map.set("executable", artifact.executable)
            map.set("cache", artifact.cache)
            items.append(map.node!)
            if let output = artifact.outputFile {
                notes.add("deploy.uris[\(n)].outputFile", "\"\(output)\": Converge's fetcher keeps the URI's file name")
            }
        }
        for (n, artifact) in (deploy.executorData?.externalArtifacts ?? []).enumerated() {
            let name = artifact.filename ?? artifact.url
            var map = YAMLMapBuilder()
            map.set("uri", artifact.url)
            map.set("extract", name.hasSuffix(".tar.gz"))
            items.append(map.node!)
            if let filename = artifact.filename, !artifact.url.hasSuffix("/" + filename) {
                notes.add("deploy.executorData.externalArtifacts[\(n)].filename", "\"\(filename)\": Converge's fetcher keeps the URI's file name")
            }
        }
        if let external = raw["executorData"]?.object?["externalArtifacts"], case .array(let list) = external,
           list.contains(where: { $0.object?["md5sum"] != nil }) {
            notes.add("deploy.executorData.externalArtifacts[].md5sum", "Converge's artifacts carry no checksum; not verified")
        }
        return items.isEmpty ? nil : .list(items)
    }

    /// `container.docker`, and the port indexes its mappings use (so resources can cover them).
    static func container(_ deploy: SingularityDeploy, allowPorts: Bool, notes: inout MappingNotes) -> (node: YAMLNode?, portIndexes: [Int]) {
        guard let info = deploy.containerInfo else { return (nil, []) }
        let type = info.type?.uppercased() ?? "MESOS"
        guard type == "DOCKER", let docker = info.docker else {
            if type != "MESOS" || info.volumes?.isEmpty == false || info.docker != nil {
                notes.add("deploy.containerInfo", "type \(type) without a docker image: Converge runs the command as a plain task; left out")
            }
            return (nil, [])
        }
        guard let image = docker.image, !image.isEmpty else {
            notes.add("deploy.containerInfo.docker.image", "missing: runs as a plain command task")
            return (nil, [])
        }
        var map = YAMLMapBuilder()
        map.set("image", image)
        if let network = docker.network?.uppercased() {
            if ["BRIDGE", "HOST", "NONE", "USER"].contains(network) {
                map.set("network", network)
            } else {
                notes.add("deploy.containerInfo.docker.network", "\"\(network)\" is not one of BRIDGE, HOST, NONE, USER; Converge's default HOST applies")
            }
        }
        if docker.forcePullImage == true { map.set("forcePullImage", true) }
        if docker.privileged == true { map.set("privileged", true) }
        var parameters = docker.parameters ?? [:]
        for parameter in docker.dockerParameters ?? [] {
            if parameters[parameter.key] != nil {
                notes.add("deploy.containerInfo.docker.dockerParameters.\(parameter.key)", "given more than once; Converge keeps one value per key (\"\(parameters[parameter.key]!)\")")
            } else {
                parameters[parameter.key] = parameter.value
            }
        }
        if !parameters.isEmpty { map.set("parameters", YAMLNode.sortedMap(parameters)) }
        var mappings: [YAMLNode] = []
        var indexes: [Int] = []
        for (n, mapping) in (docker.portMappings ?? []).enumerated() {
            let field = "deploy.containerInfo.docker.portMappings[\(n)]"
            guard allowPorts else {
                notes.add(field, "only a Service gets ports in Converge; left out")
                continue
            }
            let hostType = mapping.hostPortType?.uppercased() ?? "LITERAL"
            let containerType = mapping.containerPortType?.uppercased() ?? "LITERAL"
            guard hostType == "FROM_OFFER", containerType == "LITERAL", (1...65535).contains(mapping.containerPort),
                  mapping.hostPort >= 0, mapping.hostPort < 64
            else {
                notes.add(field, "hostPortType \(hostType), containerPortType \(containerType): Converge maps an allocated port (by index) to a fixed container port only; left out")
                continue
            }
            var entry = YAMLMapBuilder()
            entry.set("hostPort", mapping.hostPort)
            entry.set("containerPort", mapping.containerPort)
            let proto = mapping.protocol?.lowercased() ?? "tcp"
            if proto == "udp" {
                entry.set("protocol", "udp")
            } else if proto != "tcp" {
                notes.add(field + ".protocol", "\"\(proto)\" is not tcp or udp; tcp used")
            }
            mappings.append(entry.node!)
            indexes.append(mapping.hostPort)
        }
        if !mappings.isEmpty { map.set("portMappings", YAMLNode.list(mappings)) }
        var volumes: [YAMLNode] = []
        for (n, volume) in (info.volumes ?? []).enumerated() {
            guard let host = volume.hostPath, !host.isEmpty, let path = volume.containerPath, !path.isEmpty else {
                notes.add("deploy.containerInfo.volumes[\(n)]", "a volume without hostPath and containerPath (e.g. a secret or docker volume source) has no Converge form; left out")
                continue
            }
            var entry = YAMLMapBuilder()
            entry.set("hostPath", host)
            entry.set("containerPath", path)
            entry.set("mode", volume.mode?.uppercased() == "RW" ? "RW" : "RO")
            volumes.append(entry.node!)
            if volume.source != nil {
                notes.add("deploy.containerInfo.volumes[\(n)].source", "not mapped; the host path is mounted")
            }
        }
        if !volumes.isEmpty { map.set("volumes", YAMLNode.list(volumes)) }
        return (YAMLNode.map([("docker", map.node!)]), indexes)
    }
}

/// Why a request is not imported.
struct SkipReason: Error, Sendable, Hashable {
    var message: String
    init(_ message: String) { self.message = message }
}
