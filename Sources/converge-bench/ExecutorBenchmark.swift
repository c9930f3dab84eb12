import ArgumentParser
import DevCluster
import Foundation
import Mesos

/// The Converge executor on a real dev cluster agent, against the command executor in the same run.
/// Targets: start to RUNNING at most +100 ms (median); executor RSS <= 15 MB while its task logs at full speed;
/// log throughput through rotation >= 50 MB/s with zero lines lost or duplicated; 20 tasks needing the same
/// 50 MB artifact: one download.
struct ExecutorBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executor",
        abstract: "converge-executor vs the command executor (targets: +100 ms to RUNNING, RSS <= 15 MB, >= 50 MB/s logs, one download).")

    @Option(help: "Tasks per executor kind for the start-to-RUNNING median.")
    var starts = 20

    @Option(help: "Numbered lines the logging task writes.")
    var lines = 8_000_000

    @Option(help: "The converge-executor binary (default: next to this benchmark).")
    var executor: String?

    func run() async throws {
        let binary = executor ?? (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/converge-executor"
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw ValidationError("no executor at \(binary)") }
        var config = DevClusterConfig(port: 0, agents: 1, virtual: false)
        config.agents = AgentSpec.defaults(count: 1, template: AgentSpec(cpus: 64, mem: 65536), portsPerAgent: 20)
        config.allocationInterval = 0.05
        let cluster = try await DevCluster.start(config)
        defer { Task { await cluster.shutdown() } }
        let bench = try await BenchScheduler(cluster: cluster, executor: binary)

        // 1. Start to RUNNING, interleaved so both kinds see the same machine.
        var command: [Double] = [], custom: [Double] = []
        for index in 0..<starts {
            command.append(try await bench.startToRunning("cmd\(index)", custom: false))
            custom.append(try await bench.startToRunning("exe\(index)", custom: true))
        }
        let medianCommand = median(command), medianCustom = median(custom)
        print(String(format: "start to RUNNING, median of %d: command executor %.1f ms, converge-executor %.1f ms (%+.1f ms)",
                     starts, medianCommand * 1000, medianCustom * 1000, (medianCustom - medianCommand) * 1000))

        // 2 + 3. A task writing numbered lines as fast as it can, rotated at 10 MB, compressed.
        let sandbox = try await bench.logRun(lines: lines)
        print(String(format: "logs: %d lines, %.1f MB in %.2f s = %.1f MB/s through rotation; executor RSS peak %.1f MB (sampled), VmHWM %.1f MB",
                     lines, sandbox.megabytes, sandbox.seconds, sandbox.megabytes / sandbox.seconds, sandbox.peakRSS, sandbox.hwm))
        print("logs: \(sandbox.files) files; lines lost \(sandbox.lost), duplicated \(sandbox.duplicated), out of order \(sandbox.outOfOrder)")

        // 4. 20 tasks, one 50 MB artifact.
        let downloads = try await bench.sharedArtifact(tasks: 20, megabytes: 50)
        print("artifact: 20 tasks needing the same 50 MB artifact: \(downloads) download(s)")
        await bench.close()
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}

/// A scheduler for the benchmark: launches one task at a time on the single agent, acknowledges updates.
final class BenchScheduler: @unchecked Sendable {  // @unchecked: `events` and `consumed` only under `lock`.
    let cluster: RunningCluster
    let client: SchedulerClient
    let frameworkID: FrameworkID
    let executor: String
    private let lock = NSLock()
    private var events: [(ContinuousClock.Instant, Event)] = []
    private var consumed: Set<OfferID> = []
    private var reader: Task<Void, Never>?

    init(cluster: RunningCluster, executor: String) async throws {
        self.cluster = cluster
        self.executor = executor
        var configuration = try MesosClientConfiguration(masters: [cluster.address])
        configuration.logger.logLevel = .error
        client = SchedulerClient(configuration: configuration)
        let stream = client.subscribe(framework: FrameworkInfo(user: "bench", name: "executor-bench", checkpoint: true))
        let deadline = Date().addingTimeInterval(30)
        while client.frameworkID == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        guard let id = client.frameworkID else { throw ValidationError("no SUBSCRIBED") }
        frameworkID = id
        reader = Task { [client, weak self] in
            do {
                for try await event in stream {
                    let now = ContinuousClock.now
                    self?.lock.withLock { self?.events.append((now, event)) }
                    if event.type == .update, let status = event.update?.status, let uuid = status.uuid, let agent = status.agentID {
                        try? await client.call(.acknowledge(id, agentID: agent, taskID: status.taskID, uuid: uuid))
                    }
                }
            } catch {}
        }
    }

    func close() async {
        reader?.cancel()
        await client.close()
    }

    func offer() async throws -> Offer {
        try await client.call(.revive(frameworkID))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let found: Offer? = lock.withLock {
                for (_, event) in events where event.type == .offers {
                    for offer in event.offers?.offers ?? [] where !consumed.contains(offer.id) {
                        consumed.insert(offer.id)
                        return offer
                    }
                }
                return nil
            }
            if let found { return found }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw ValidationError("no offer")
    }

    func update(_ taskID: String, _ states: Set<TaskState>, timeout: Double = 600) async throws -> (ContinuousClock.Instant, TaskStatus) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let found: (ContinuousClock.Instant, TaskStatus)? = lock.withLock {
                for (at, event) in events where event.type == .update {
                    if let status = event.update?.status, status.taskID.value == taskID, states.contains(status.state) {
                        return (at, status)
                    }
                }
                return nil
            }
            if let found { return found }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw ValidationError("no \(states) for \(taskID)")
    }

    func task(_ id: String, custom: Bool, data: ExecutorTaskData) throws -> TaskInfo {
        let resources: [Resource] = [.scalar("cpus", 0.1), .scalar("mem", 256)]
        let agentID = cluster.agents[0].id
        guard custom else {
            return TaskInfo(name: id, taskID: TaskID(id), agentID: agentID, resources: resources, command: data.command)
        }
        let info = ExecutorInfo(executorID: ExecutorID("E-\(id)"), type: "CUSTOM",
                                command: CommandInfo(value: executor, shell: false, arguments: ["converge-executor"]),
                                resources: [.scalar("cpus", 0.05), .scalar("mem", 32)], name: "converge-executor")
        return TaskInfo(name: id, taskID: TaskID(id), agentID: agentID, resources: resources, executor: info,
                        data: try data.taskData())
    }

    func launch(_ tasks: [TaskInfo]) async throws -> ContinuousClock.Instant {
        let offer = try await offer()
        let started = ContinuousClock.now
        try await client.call(.accept(frameworkID, offerIDs: [offer.id],
                                      operations: [OfferOperation(type: .launch, launch: .init(taskInfos: tasks))],
                                      filters: Filters(refuseSeconds: 0)))
        return started
    }

    /// Seconds from ACCEPT to the framework seeing TASK_RUNNING; the task is then killed.
    func startToRunning(_ id: String, custom: Bool) async throws -> Double {
        let started = try await launch([try task(id, custom: custom, data: ExecutorTaskData(command: CommandInfo(value: "sleep 300")))])
        let (at, _) = try await update(id, [.running])
        try await client.call(.kill(frameworkID, taskID: TaskID(id), agentID: cluster.agents[0].id,
                                    killPolicy: KillPolicy(gracePeriodSeconds: 0)))
        _ = try await update(id, [.killed, .failed, .finished])
        let elapsed = at - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    struct LogResult {
        var megabytes: Double
        var seconds: Double
        var peakRSS: Double
        var hwm: Double
        var files: Int
        var lost: Int
        var duplicated: Int
        var outOfOrder: Int
    }

    func logRun(lines: Int) async throws -> LogResult {
        let id = "logger"
        var data = ExecutorTaskData(command: CommandInfo(value: "seq 1 \(lines)"))
        data.logs = .init(maxSizeMB: 10, keep: 1000, compress: true)
        _ = try await launch([try task(id, custom: true, data: data)])
        let (runningAt, _) = try await update(id, [.running])
        let pid = Self.executorPID(id: "E-\(id)")
        let sampler = Task {
            var peak = 0.0, hwm = 0.0
            while !Task.isCancelled {
                if let pid, let memory = ProcessMemory.read(pid: pid) {
                    peak = max(peak, memory.residentMB)
                    hwm = max(hwm, memory.peakMB)
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return (peak, hwm)
        }
        let (finishedAt, status) = try await update(id, [.finished, .failed, .killed])
        sampler.cancel()
        let (peak, hwm) = await sampler.value
        guard status.state == .finished else { throw ValidationError("logger ended \(status.state): \(status.message ?? "")") }
        let sandbox = "\(cluster.workDirectory)/slaves/\(cluster.agents[0].id.value)/frameworks/\(frameworkID.value)/executors/E-\(id)/runs/latest"
        // The executor writes "exited" once compression of the last rotated file is done.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !((try? String(contentsOfFile: sandbox + "/converge-executor.log", encoding: .utf8)) ?? "").contains("converge-executor exited") {
            try await Task.sleep(for: .milliseconds(50))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: sandbox).filter { $0 == "stdout" || $0.hasPrefix("stdout.") }
        func index(_ name: String) -> Int { name == "stdout" ? 0 : Int(name.dropFirst(7).replacingOccurrences(of: ".gz", with: "")) ?? -1 }
        var seen = [UInt8](repeating: 0, count: lines + 1)
        var expected = 1, outOfOrder = 0, bytes = 0
        for name in names.sorted(by: { index($0) > index($1) }) {
            let content = name.hasSuffix(".gz") ? try Self.gunzip(sandbox + "/" + name) : try Data(contentsOf: URL(fileURLWithPath: sandbox + "/" + name))
            bytes += content.count
            var value = 0
            for byte in content {
                if byte == UInt8(ascii: "\n") {
                    if value >= 1 && value <= lines { seen[value] &+= 1 }
                    if value != expected { outOfOrder += 1 }
                    expected = value + 1
                    value = 0
                } else {
                    value = value * 10 + Int(byte) - 48
                }
            }
        }
        let lost = seen.dropFirst().filter { $0 == 0 }.count
        let duplicated = seen.dropFirst().filter { $0 > 1 }.count
        let elapsed = finishedAt - runningAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return LogResult(megabytes: Double(bytes) / 1_048_576, seconds: seconds, peakRSS: peak, hwm: hwm, files: names.count,
                         lost: lost, duplicated: duplicated, outOfOrder: outOfOrder)
    }

    /// Launches `tasks` executors at once, each needing the same artifact from a local HTTP server; returns how
    /// many times the server served it.
    func sharedArtifact(tasks: Int, megabytes: Int) async throws -> Int {
        let root = NSTemporaryDirectory() + "converge-bench-artifact-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        guard let random = FileHandle(forReadingAtPath: "/dev/urandom") else { throw ValidationError("no /dev/urandom") }
        let blob = random.readData(ofLength: megabytes << 20)
        try blob.write(to: URL(fileURLWithPath: root + "/app.bin"))
        let counts = root + ".counts"
        let script = """
        import http.server, socketserver, sys
        root, counts = sys.argv[1], sys.argv[2]
        class H(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **k): super().__init__(*a, directory=root, **k)
            def do_GET(self):
                open(counts, 'a').write(self.path + '\\n'); super().do_GET()
            def log_message(self, *a): pass
        class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True
        s = S(('127.0.0.1', 0), H); print(s.server_address[1], flush=True); s.serve_forever()
        """
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-c", script, root, counts]
        let pipe = Pipe()
        server.standardOutput = pipe
        try server.run()
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            try? FileManager.default.removeItem(atPath: counts)
        }
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw ValidationError("no server") }
        let artifact = ExecutorTaskData.Artifact(uri: "http://127.0.0.1:\(port)/app.bin", extract: false)
        let infos = try (0..<tasks).map { index in
            var data = ExecutorTaskData(command: CommandInfo(value: "test -s app.bin"))
            data.artifacts = [artifact]
            return try task("fetch\(index)", custom: true, data: data)
        }
        _ = try await launch(infos)
        for index in 0..<tasks {
            let (_, status) = try await update("fetch\(index)", [.finished, .failed, .killed])
            guard status.state == .finished else { throw ValidationError("fetch\(index): \(status.message ?? "")") }
        }
        return ((try? String(contentsOfFile: counts, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0 == "/app.bin" }.count
    }

    static func executorPID(id: String) -> Int32? {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ") else { continue }
            if environ.split(separator: 0).contains(where: { $0.elementsEqual("MESOS_EXECUTOR_ID=\(id)".utf8) }),
               let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
               String(decoding: cmdline, as: UTF8.self).hasPrefix("converge-executor") {
                return pid
            }
        }
        return nil
    }

    static func gunzip(_ path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }
}
