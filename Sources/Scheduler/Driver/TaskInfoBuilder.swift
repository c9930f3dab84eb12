import Foundation
import Manifests
import Mesos

/// Builds the Mesos `TaskInfo` of one placed task from its workload: command, environment (with the
/// allocated ports as PORT, PORT0..n and PORTS), fetcher URIs, container, health check on the allocated
/// port, kill policy and Converge's labels. Pure.
///
/// With a Converge executor configured (and `spec.executor: converge`, no container), the task gets
/// its own CUSTOM executor instead of a command: `executor_id` `converge-<task id>`, the executor's
/// resources taken from the placement (which reserved task + executor), and everything the
/// executor needs in `data` (`ExecutorTaskData`). Labels are the same either way.
enum TaskInfoBuilder {
    struct Input: Sendable {
        var taskID: String
        var identity: TaskIdentity
        var workload: Workload
        var placement: Placement
        var commit: String?
        var trigger: Trigger?
        var executor: ExecutorConfiguration? = nil
        var frameworkID: String? = nil
    }

    /// The executor a workload's tasks run under: the configured one unless the manifest opts out
    /// (`spec.executor: command`) or the task runs in a Docker container.
    static func executor(for workload: Workload, configured: ExecutorConfiguration?) -> ExecutorConfiguration? {
        guard let configured, workload.spec.executor == .converge, workload.spec.container == nil else { return nil }
        return configured
    }

    static func build(_ input: Input) -> TaskInfo {
        let spec = input.workload.spec
        let ports = input.placement.ports
        var environment = spec.env
        for (key, value) in input.trigger?.environment ?? [:] { environment[key] = value }
        for (index, port) in ports.enumerated() { environment["PORT\(index)"] = String(port) }
        if let first = ports.first { environment["PORT"] = String(first) }
        if !ports.isEmpty { environment["PORTS"] = ports.map(String.init).joined(separator: ",") }

        var command = commandInfo(spec.command, extraArguments: input.trigger?.arguments ?? [])
        command.environment = Environment(environment)
        command.uris = spec.artifacts.map {
            CommandInfo.URI(value: $0.uri, executable: $0.executable, extract: $0.extract, cache: $0.cache)
        }
        command.user = spec.user

        var info = TaskInfo(
            name: "\(input.workload.name):\(input.identity.slot.instance)",
            taskID: TaskID(input.taskID), agentID: AgentID(input.placement.agentID),
            resources: input.placement.mesosResources, command: command,
            container: spec.container.map { container(of: $0, ports: ports) },
            healthCheck: spec.healthCheck.flatMap { healthCheck(of: $0, ports: ports) },
            killPolicy: KillPolicy(gracePeriodSeconds: Double(spec.deploy.killGraceSeconds)),
            labels: input.identity.labels(commit: input.commit, requestHash: input.workload.requestHash))
        if let executor = executor(for: input.workload, configured: input.executor) {
            useExecutor(executor, on: &info, input: input)
        }
        return info
    }

    /// Moves the command into `data` and gives the task its own CUSTOM executor.
    static func useExecutor(_ executor: ExecutorConfiguration, on info: inout TaskInfo, input: Input) {
        let spec = input.workload.spec
        var placement = input.placement
        placement.resources = placement.resources - executor.resources
        var taskCommand = info.command ?? CommandInfo(value: nil)
        taskCommand.uris = []
        let data = ExecutorTaskData(
            command: taskCommand,
            artifacts: spec.artifacts.map {
                ExecutorTaskData.Artifact(uri: $0.uri, sha256: $0.sha256, extract: $0.extract, executable: $0.executable,
                                          cache: $0.cache || $0.sha256 != nil)
            },
            healthCheck: info.healthCheck,
            logs: ExecutorTaskData.LogPolicy(maxSizeMB: Double(spec.logs.maxSizeMb), keep: spec.logs.keep, compress: spec.logs.compress),
            memoryMB: Double(spec.resources.memoryMb), memorySoftLimit: spec.resources.memorySoftLimit,
            killGraceSeconds: Double(spec.deploy.killGraceSeconds), service: input.workload.name,
            logArchive: executor.logArchive)
        var resources = [Resource.scalar("cpus", executor.cpus, allocationRole: placement.role),
                         Resource.scalar("mem", executor.memMb, allocationRole: placement.role)]
        if executor.diskMb > 0 { resources.append(Resource.scalar("disk", executor.diskMb, allocationRole: placement.role)) }
        info.resources = placement.mesosResources
        info.command = nil
        info.executor = ExecutorInfo(
            executorID: ExecutorID(executorID(forTask: input.taskID)), type: "CUSTOM",
            frameworkID: input.frameworkID.map(FrameworkID.init), command: executor.command, resources: resources,
            name: "converge-executor \(input.workload.name)")
        // The encoder cannot fail on these plain values; an empty payload would fail the task visibly.
        info.data = (try? data.taskData()) ?? Bytes(Data())
    }

    /// One executor per task: `converge-<task id>`.
    static func executorID(forTask taskID: String) -> String { "converge-\(taskID)" }

    /// A shell command gets extra arguments shell-quoted at its end; an argv list gets them appended.
    static func commandInfo(_ command: Manifests.Command?, extraArguments: [String]) -> CommandInfo {
        switch command {
        case .shell(let line):
            let extra = extraArguments.map(shellQuote).joined(separator: " ")
            return CommandInfo(value: extra.isEmpty ? line : "\(line) \(extra)", shell: true)
        case .argv(let argv):
            return CommandInfo(value: argv.first, shell: false, arguments: argv + extraArguments)
        case nil:
            return CommandInfo(value: nil, shell: false, arguments: extraArguments)
        }
    }

    static func shellQuote(_ argument: String) -> String {
        "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The manifest's check with the port index resolved to the allocated port; nil when the index has no port.
    static func healthCheck(of check: Manifests.HealthCheck, ports: [Int]) -> Mesos.HealthCheck? {
        var result: Mesos.HealthCheck
        switch check.probe {
        case .http(let path, let index):
            guard ports.indices.contains(index) else { return nil }
            result = Mesos.HealthCheck(type: .http, http: .init(port: UInt32(ports[index]), path: path, scheme: "http"))
        case .tcp(let index):
            guard ports.indices.contains(index) else { return nil }
            result = Mesos.HealthCheck(type: .tcp, tcp: .init(port: UInt32(ports[index])))
        case .command(let command):
            result = Mesos.HealthCheck(type: .command, command: commandInfo(command, extraArguments: []))
        }
        result.delaySeconds = 0
        result.intervalSeconds = Double(check.intervalSeconds)
        result.timeoutSeconds = Double(check.timeoutSeconds)
        result.gracePeriodSeconds = Double(check.gracePeriodSeconds)
        result.consecutiveFailures = UInt32(max(1, check.consecutiveFailures))
        return result
    }

    static func container(of container: Container, ports: [Int]) -> ContainerInfo {
        let docker = container.docker
        let network: ContainerInfo.DockerInfo.Network = switch docker.network {
        case .host: .host
        case .bridge: .bridge
        case .none: .none
        case .user: .user
        }
        let mappings = docker.portMappings.compactMap { mapping -> ContainerInfo.PortMapping? in
            guard ports.indices.contains(mapping.hostPort) else { return nil }
            return ContainerInfo.PortMapping(hostPort: UInt32(ports[mapping.hostPort]), containerPort: UInt32(mapping.containerPort),
                                             protocol: mapping.protocol)
        }
        return ContainerInfo(
            type: .docker,
            docker: ContainerInfo.DockerInfo(
                image: docker.image, network: network, portMappings: mappings, privileged: docker.privileged,
                parameters: docker.parameters.sorted { $0.key < $1.key }.map { Parameter(key: $0.key, value: $0.value) },
                forcePullImage: docker.forcePullImage),
            volumes: docker.volumes.map { Volume(mode: $0.mode, containerPath: $0.containerPath, hostPath: $0.hostPath) })
    }
}
