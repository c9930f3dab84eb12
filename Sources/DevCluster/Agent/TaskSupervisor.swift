import Foundation
import Mesos

/// Runs tasks as real processes: sandbox, fetch, spawn in a new process group, reap without
/// blocking (waitpid WNOHANG on a timer), kill with SIGTERM then SIGKILL, health checks and a
/// memory watch. State changes are handed to `report`.
actor TaskSupervisor {
    private struct Running {
        var launch: TaskLaunch
        var pid: pid_t?
        var killCause: KillCause?
        var killDeadline: ContinuousClock.Instant?
        var health: Task<Void, Never>?
        var healthy: Bool?
        var startedAt: ContinuousClock.Instant = .now
    }

    private let config: DevClusterConfig
    private let report: @Sendable (AgentStatusReport) async -> Void
    private var tasks: [TaskKey: Running] = [:]
    /// Kills that arrived before their launch did.
    private var earlyKills: [TaskKey: KillCause] = [:]
    private var loop: Task<Void, Never>?
    private var lastMemoryCheck: ContinuousClock.Instant = .now
    /// Every process group ever started, for hygiene checks after shutdown.
    private(set) var allProcessGroups: [pid_t] = []

    init(config: DevClusterConfig, report: @escaping @Sendable (AgentStatusReport) async -> Void) {
        self.config = config
        self.report = report
    }

    func start() {
        guard loop == nil else { return }
        let interval = config.reapInterval
        loop = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                await self?.tick()
            }
        }
    }

    var runningCount: Int { tasks.count }

    func pid(of key: TaskKey) -> pid_t? { tasks[key]?.pid }

    // MARK: Launch

    func launch(_ launch: TaskLaunch) async {
        let key = launch.key
        guard tasks[key] == nil else { return }
        tasks[key] = Running(launch: launch)
        if let cause = earlyKills.removeValue(forKey: key) { tasks[key]?.killCause = cause }
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: launch.sandbox, withIntermediateDirectories: true)
            _ = fm.createFile(atPath: launch.sandbox + "/stdout", contents: nil)
            _ = fm.createFile(atPath: launch.sandbox + "/stderr", contents: nil)
        } catch {
            await finish(key, state: .failed, message: "Failed to create sandbox: \(error.localizedDescription)",
                         reason: .containerLaunchFailed)
            return
        }
        await report(AgentStatusReport(key: key, agentID: launch.agentID, state: .starting))

        let command = launch.info.command ?? CommandInfo(value: nil)
        do {
            try await Fetcher.fetch(command.uris, into: launch.sandbox)
        } catch {
            await finish(key, state: .failed, message: error.description, reason: .containerLaunchFailed)
            return
        }
        if tasks[key]?.killCause != nil {
            await finish(key, state: .killed, message: "Task killed before it started", reason: .taskKilledDuringLaunch)
            return
        }
        let line: CommandLine
        do {
            line = try CommandLine.make(command, environment: environment(for: launch))
        } catch {
            await finish(key, state: .failed, message: error.description, reason: .commandExecutorFailed)
            return
        }
        let stdout = launch.sandbox + "/stdout", stderr = launch.sandbox + "/stderr"
        let pid: pid_t
        do {
            pid = try ProcessSpawner.spawn(SpawnRequest(
                executable: line.executable, arguments: line.arguments, environment: line.environment,
                workingDirectory: launch.sandbox, stdoutPath: stdout, stderrPath: stderr))
        } catch {
            await finish(key, state: .failed, message: "\(error)", reason: .commandExecutorFailed)
            return
        }
        allProcessGroups.append(pid)
        tasks[key]?.pid = pid
        tasks[key]?.startedAt = .now
        await report(AgentStatusReport(key: key, agentID: launch.agentID, state: .running))
        if let check = launch.info.healthCheck, check.type != nil {
            let probe = HealthProbe(check: check, host: launch.host, sandbox: launch.sandbox,
                                    environment: line.environment)
            tasks[key]?.health = Task { [weak self] in await self?.healthLoop(key, probe: probe) }
        }
    }

    private func environment(for launch: TaskLaunch) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["MESOS_TASK_ID"] = launch.key.taskID.value
        environment["MESOS_FRAMEWORK_ID"] = launch.key.frameworkID.value
        environment["MESOS_AGENT_ID"] = launch.agentID.value
        environment["MESOS_SLAVE_ID"] = launch.agentID.value
        environment["MESOS_SANDBOX"] = launch.sandbox
        environment["MESOS_DIRECTORY"] = launch.sandbox
        environment["HOST"] = launch.host
        environment["LIBPROCESS_IP"] = launch.host
        for (index, port) in launch.ports.enumerated() { environment["PORT\(index)"] = String(port) }
        if let first = launch.ports.first { environment["PORT"] = String(first) }
        if !launch.ports.isEmpty { environment["PORTS"] = launch.ports.map(String.init).joined(separator: ",") }
        return environment
    }

    // MARK: Kill

    /// SIGTERM to the task's process group now, SIGKILL after `grace` seconds.
    func kill(_ key: TaskKey, grace: Double, cause: KillCause = .requested(reason: nil)) async {
        guard var task = tasks[key] else {
            earlyKills[key] = cause
            return
        }
        guard task.killCause == nil || cause != .requested(reason: nil) else { return }
        if task.killCause == nil { task.killCause = cause }
        if let pid = task.pid {
            task.killDeadline = .now + .milliseconds(Int(max(0, grace) * 1000))
            tasks[key] = task
            await report(AgentStatusReport(key: key, agentID: task.launch.agentID, state: .killing, healthy: task.healthy))
            ProcessControl.signalGroup(pid, grace > 0 ? SIGTERM : SIGKILL)
        } else {
            tasks[key] = task // still fetching: launch() sees the cause and reports KILLED
        }
    }

    /// Kills every task of an agent at once (the agent died); no status is reported.
    func abandon(agent agentID: AgentID) {
        for (key, task) in tasks where task.launch.agentID == agentID {
            task.health?.cancel()
            if let pid = task.pid {
                ProcessControl.signalGroup(pid, SIGKILL)
                reapBlocking(pid)
            }
            tasks[key] = nil
        }
    }

    /// SIGKILL every process group and reap it; used on shutdown.
    func shutdown() {
        loop?.cancel()
        for (_, task) in tasks {
            task.health?.cancel()
            if let pid = task.pid { ProcessControl.signalGroup(pid, SIGKILL) }
        }
        for (_, task) in tasks { if let pid = task.pid { reapBlocking(pid) } }
        tasks.removeAll()
        for group in allProcessGroups { ProcessControl.signalGroup(group, SIGKILL) }
    }

    private func reapBlocking(_ pid: pid_t) {
        let deadline = Date().addingTimeInterval(5)
        while ProcessControl.reap(pid) == nil, Date() < deadline { usleep(2_000) }
    }

    // MARK: Monitoring

    private func tick() async {
        var exits: [(TaskKey, ProcessExit)] = []
        let now = ContinuousClock.now
        for (key, task) in tasks {
            guard let pid = task.pid else { continue }
            if let exit = ProcessControl.reap(pid) {
                exits.append((key, exit))
            } else if let deadline = task.killDeadline, now >= deadline {
                ProcessControl.signalGroup(pid, SIGKILL)
                tasks[key]?.killDeadline = nil
            }
        }
        for (key, exit) in exits { await exited(key, exit) }
        if now - lastMemoryCheck >= .milliseconds(Int(config.memoryCheckInterval * 1000)) {
            lastMemoryCheck = now
            await checkMemory()
        }
    }

    private func exited(_ key: TaskKey, _ exit: ProcessExit) async {
        guard let task = tasks[key] else { return }
        // The container ends with its main process: take down anything it left behind.
        if let pid = task.pid { ProcessControl.signalGroup(pid, SIGKILL) }
        switch task.killCause {
        case let .memory(limit, used)?:
            await finish(key, state: .failed,
                         message: "Memory limit exceeded: Requested: \(Int(limit))MB Maximum Used: \(used / 1_048_576)MB",
                         reason: .containerLimitationMemory)
        case .healthCheck?:
            await finish(key, state: .killed, message: "Task killed after failing its health check",
                         reason: .taskHealthCheckStatusUpdated, healthy: false)
        case let .requested(reason)?:
            await finish(key, state: .killed, message: exit.message, reason: reason)
        case nil:
            if exit.succeeded {
                await finish(key, state: .finished, message: exit.message)
            } else {
                await finish(key, state: .failed, message: exit.message)
            }
        }
    }

    private func finish(_ key: TaskKey, state: TaskState, message: String?, reason: TaskStatus.Reason? = nil,
                        healthy: Bool? = nil) async {
        guard let task = tasks.removeValue(forKey: key) else { return }
        task.health?.cancel()
        await report(AgentStatusReport(key: key, agentID: task.launch.agentID, state: state, message: message,
                                       reason: reason, healthy: healthy ?? task.healthy))
    }

    private func checkMemory() async {
        var limits: [pid_t: (TaskKey, Double)] = [:]
        for (key, task) in tasks {
            if let pid = task.pid, task.killCause == nil, let limit = task.launch.memoryLimitMB, limit > 0 {
                limits[pid] = (key, limit)
            }
        }
        guard !limits.isEmpty else { return }
        let usage = await runBlocking { [groups = Set(limits.keys)] in ProcessGroupMemory.residentBytes(groups: groups) }
        for (pid, (key, limit)) in limits {
            guard let used = usage[pid], Double(used) > limit * 1_048_576 else { continue }
            await kill(key, grace: min(config.defaultKillGracePeriod, 2), cause: .memory(limitMB: limit, usedBytes: used))
        }
    }

    // MARK: Health

    private func healthLoop(_ key: TaskKey, probe: HealthProbe) async {
        let check = probe.check
        try? await Task.sleep(for: .milliseconds(Int(check.effectiveDelaySeconds * 1000)))
        var failures: UInt32 = 0
        var everHealthy = false
        while !Task.isCancelled {
            let healthy = await probe.run()
            guard !Task.isCancelled else { return }
            if healthy {
                failures = 0
                everHealthy = true
                await healthChanged(key, healthy: true)
            } else {
                let started = tasks[key]?.startedAt ?? .now
                let inGrace = !everHealthy && ContinuousClock.now - started < .milliseconds(Int(check.effectiveGracePeriodSeconds * 1000))
                if !inGrace {
                    failures += 1
                    await healthChanged(key, healthy: false)
                    if failures >= max(1, check.effectiveConsecutiveFailures) {
                        await kill(key, grace: config.defaultKillGracePeriod, cause: .healthCheck)
                        return
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(Int(check.effectiveIntervalSeconds * 1000)))
        }
    }

    private func healthChanged(_ key: TaskKey, healthy: Bool) async {
        guard let task = tasks[key], task.healthy != healthy, task.killCause == nil else { return }
        tasks[key]?.healthy = healthy
        await report(AgentStatusReport(key: key, agentID: task.launch.agentID, state: .running,
                                       reason: .taskHealthCheckStatusUpdated, healthy: healthy))
    }
}
