import Foundation
import Mesos

/// Runs custom executor processes as a Mesos agent with the posix launcher does: fetch the
/// executor's URIs (through the agent-wide cache), start it in the sandbox with exactly its
/// environment, reap it without blocking, and kill its whole process tree (SIGKILL, no SIGTERM)
/// when the agent decides to. The container's memory limit covers every descendant of the
/// executor; the agent runs no health checks for custom executors.
actor ExecutorSupervisor {
    private struct Running {
        var launch: ExecutorLaunch
        var pid: pid_t?
        var memoryKill: (limitMB: Double, usedBytes: UInt64)?
        /// Process groups seen in its tree (tasks in their own sessions), for cleanup.
        var groups: Set<pid_t> = []
        var killRequested = false
    }

    private let config: DevClusterConfig
    let cache: FetcherCache
    private let exited: @Sendable (ExecutorExit) async -> Void
    private var running: [ExecutorKey: Running] = [:]
    private var loop: Task<Void, Never>?
    private var lastMemoryCheck: ContinuousClock.Instant = .now
    private(set) var allProcessGroups: [pid_t] = []

    init(config: DevClusterConfig, cacheDirectory: String, exited: @escaping @Sendable (ExecutorExit) async -> Void) {
        self.config = config
        self.cache = FetcherCache(directory: cacheDirectory)
        self.exited = exited
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

    func pid(of key: ExecutorKey) -> pid_t? { running[key]?.pid }

    /// Creates the sandbox (with `runs/latest`), fetches, spawns. A failure is reported as an exit.
    func launch(_ launch: ExecutorLaunch) async {
        let key = launch.key
        guard running[key] == nil else { return }
        running[key] = Running(launch: launch)
        let fm = FileManager.default
        let directory = launch.directory
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            _ = fm.createFile(atPath: directory + "/stdout", contents: nil)
            _ = fm.createFile(atPath: directory + "/stderr", contents: nil)
            let latest = ((directory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("latest")
            try? fm.removeItem(atPath: latest)
            try fm.createSymbolicLink(atPath: latest, withDestinationPath: (directory as NSString).lastPathComponent)
        } catch {
            await fail(key, "Failed to create sandbox: \(error.localizedDescription)")
            return
        }
        let command = launch.info.command ?? CommandInfo(value: nil)
        do {
            try await cache.fetch(command.uris, into: directory)
        } catch {
            await fail(key, "Failed to fetch executor: \(error.description)")
            return
        }
        guard running[key]?.killRequested == false else {
            await fail(key, "Executor killed before it started")
            return
        }
        do {
            let line = try CommandLine.make(command, environment: launch.environment)
            let pid = try ProcessSpawner.spawn(SpawnRequest(
                executable: line.executable, arguments: line.arguments, environment: launch.environment,
                workingDirectory: directory, stdoutPath: directory + "/stdout", stderrPath: directory + "/stderr"))
            running[key]?.pid = pid
            allProcessGroups.append(pid)
        } catch {
            await fail(key, "Failed to launch executor: \(error)")
        }
    }

    private func fail(_ key: ExecutorKey, _ message: String) async {
        running[key] = nil
        await exited(ExecutorExit(key: key, waitStatus: 256, launchError: message))
    }

    /// The container's limit grows and shrinks with its tasks.
    func setMemoryLimit(_ key: ExecutorKey, mb: Double) {
        running[key]?.launch.memoryLimitMB = mb
    }

    /// SIGKILL to the executor's whole process tree (every descendant and its group).
    func kill(_ key: ExecutorKey) {
        guard let entry = running[key] else { return }
        running[key]?.killRequested = true
        guard let pid = entry.pid else { return }
        killTree(pid, knownGroups: entry.groups)
    }

    private func killTree(_ pid: pid_t, knownGroups: Set<pid_t>) {
        let tree = ProcessTree.snapshot(roots: [pid])[pid]
        for group in knownGroups.union(tree?.processGroups ?? []).union([pid]) { ProcessControl.signalGroup(group, SIGKILL) }
        for member in tree?.members ?? [] { Glibc.kill(member.pid, SIGKILL) }
    }

    /// Kills every executor of an agent at once (the agent died); exits are not reported.
    func abandon(agent agentID: AgentID) {
        for (key, entry) in running where key.agentID == agentID {
            running[key] = nil
            guard let pid = entry.pid else { continue }
            killTree(pid, knownGroups: entry.groups)
            reapBlocking(pid)
        }
    }

    func shutdown() {
        loop?.cancel()
        for (_, entry) in running {
            if let pid = entry.pid { killTree(pid, knownGroups: entry.groups) }
        }
        for (_, entry) in running { if let pid = entry.pid { reapBlocking(pid) } }
        running.removeAll()
        for group in allProcessGroups { ProcessControl.signalGroup(group, SIGKILL) }
    }

    private func reapBlocking(_ pid: pid_t) {
        let deadline = Date().addingTimeInterval(5)
        while ProcessControl.reap(pid) == nil, Date() < deadline { usleep(2_000) }
    }

    private func tick() async {
        var ended: [ExecutorExit] = []
        for (key, entry) in running {
            guard let pid = entry.pid, let status = ProcessControl.reapStatus(pid) else { continue }
            // Like the posix launcher: what is left in the executor's own group goes with it.
            ProcessControl.signalGroup(pid, SIGKILL)
            running[key] = nil
            ended.append(ExecutorExit(key: key, waitStatus: status, memory: entry.memoryKill))
        }
        for exit in ended { await exited(exit) }
        let now = ContinuousClock.now
        if now - lastMemoryCheck >= .milliseconds(Int(config.memoryCheckInterval * 1000)) {
            lastMemoryCheck = now
            await checkMemory()
        }
    }

    private func checkMemory() async {
        let roots = Set(running.values.compactMap(\.pid))
        guard !roots.isEmpty else { return }
        let trees = await runBlocking { ProcessTree.snapshot(roots: roots) }
        for (key, entry) in running {
            guard let pid = entry.pid, let tree = trees[pid] else { continue }
            let newGroups = tree.processGroups.subtracting(entry.groups)
            if !newGroups.isEmpty {
                running[key]?.groups.formUnion(newGroups)
                let unseen = newGroups.subtracting(allProcessGroups)
                allProcessGroups.append(contentsOf: unseen)
            }
            guard entry.memoryKill == nil, let limit = entry.launch.memoryLimitMB, limit > 0,
                  Double(tree.residentBytes) > limit * 1_048_576 else { continue }
            running[key]?.memoryKill = (limit, tree.residentBytes)
            killTree(pid, knownGroups: entry.groups.union(newGroups))
        }
    }
}

extension ProcessControl {
    /// Non-blocking reap giving the raw wait status (768 = exit 3, 9 = SIGKILL); nil while running.
    static func reapStatus(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return nil }
        if result < 0 { return errno == ECHILD ? 0 : nil }
        return status
    }
}
