import ArgumentParser
import DevCluster
import Foundation
import Mesos

/// Through the real HTTP API with the Mesos client: launch N virtual tasks on M virtual agents
/// until every task is RUNNING and acknowledged, then read the dev master's RSS.
/// Targets: 10,000 tasks on 1,000 agents in <= 10 s; master RSS <= 500 MB.
struct DevClusterBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-cluster",
        abstract: "Launch virtual tasks through the dev master's HTTP API (targets: 10,000 tasks <= 10 s, RSS <= 500 MB).")

    @Option(help: "Virtual agents.")
    var agents = 1000

    @Option(help: "Tasks to launch.")
    var tasks = 10_000

    @Option(help: "Calls in flight at once.")
    var concurrency = 16

    @Option(help: "The converge executable running the master (default: next to this benchmark).")
    var converge: String?

    func run() async throws {
        let master = try MasterProcess.start(executable: converge ?? Self.siblingExecutable("converge"), agents: agents)
        defer { master.stop() }
        print("dev master pid \(master.pid) at \(master.address) with \(agents) virtual agents; launching \(tasks) tasks")

        var configuration = try MesosClientConfiguration(masters: [master.address])
        configuration.logger.logLevel = .warning
        let client = SchedulerClient(configuration: configuration)
        let events = client.subscribe(framework: FrameworkInfo(user: "bench", name: "dev-cluster-bench", failoverTimeout: 60))
        let (work, queue) = AsyncStream<Call>.makeStream()
        let clock = ContinuousClock()
        let started = clock.now
        let target = tasks
        let counters = Counters()

        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    for await call in work {
                        try await client.call(call)
                        if call.type == .acknowledge { await counters.acknowledged() }
                    }
                }
            }
            var launched = 0
            var acknowledgements = 0
            for try await event in events {
                switch event.type {
                case .offers:
                    guard let frameworkID = client.frameworkID else { continue }
                    for offer in event.offers?.offers ?? [] {
                        let cpus = offer.resources.first { $0.name == "cpus" }?.scalar?.value ?? 0
                        let mem = offer.resources.first { $0.name == "mem" }?.scalar?.value ?? 0
                        let fit = min(Int((cpus / 0.1).rounded(.down)), Int(mem / 32), target - launched)
                        guard fit > 0 else {
                            queue.yield(.decline(frameworkID, offerIDs: [offer.id], filters: Filters(refuseSeconds: 3600)))
                            continue
                        }
                        let infos = (0..<fit).map { index in
                            TaskInfo(name: "bench", taskID: TaskID("bench-\(launched + index)"), agentID: offer.agentID,
                                     resources: [.scalar("cpus", 0.1), .scalar("mem", 32)],
                                     command: CommandInfo(value: "sleep 3600"))
                        }
                        launched += fit
                        queue.yield(.accept(frameworkID, offerIDs: [offer.id], operations: [.launch(infos)],
                                            filters: Filters(refuseSeconds: 3600)))
                    }
                case .update:
                    guard let status = event.update?.status, let uuid = status.uuid, let frameworkID = client.frameworkID,
                          let agentID = status.agentID else { continue }
                    queue.yield(.acknowledge(frameworkID, agentID: agentID, taskID: status.taskID, uuid: uuid))
                    if status.state == .running { acknowledgements += 1 }
                case .error:
                    throw ValidationError("master error: \(event.error?.message ?? "?")")
                default:
                    break
                }
                if acknowledgements >= target { break }
            }
            queue.finish()
            try await group.waitForAll()
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rss = master.residentMegabytes()
        await client.close()
        print(String(format: "launched %d tasks, all RUNNING and acknowledged (%d acks) in %.2f s (%.0f tasks/s)",
                     target, await counters.acks, seconds, Double(target) / seconds))
        print(String(format: "dev master RSS: %.1f MB", rss))
        print("targets: <= 10 s -> \(seconds <= 10 ? "met" : "MISSED"); RSS <= 500 MB -> \(rss <= 500 ? "met" : "MISSED")")
    }

    static func siblingExecutable(_ name: String) -> String {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent(name).path
    }
}

private actor Counters {
    private(set) var acks = 0
    func acknowledged() { acks += 1 }
}

/// `converge dev-cluster --virtual` as a child process, so its memory is measured alone.
private struct MasterProcess {
    let pid: Int32
    let address: String
    let output: String

    static func start(executable: String, agents: Int) throws -> MasterProcess {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("no converge executable at \(executable); build it (swift build -c release) or pass --converge")
        }
        let output = NSTemporaryDirectory() + "dev-cluster-bench-\(getpid()).log"
        FileManager.default.createFile(atPath: output, contents: nil)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_APPEND, 0)
        posix_spawn_file_actions_addopen(&actions, 2, output, O_WRONLY | O_APPEND, 0)
        let argv = [executable, "dev-cluster", "--virtual", "--agents", String(agents), "--listen", "127.0.0.1:0",
                    "--cpus", "10", "--mem", "10240", "--virtual-start-delay", "0.01"]
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: Int32 = 0
        let status = posix_spawn(&pid, executable, &actions, nil, cArgs, environ)
        guard status == 0 else { throw ValidationError("cannot start \(executable): \(String(cString: strerror(status)))") }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let line = log.split(separator: "\n").first(where: { $0.contains("dev-cluster ready") }),
               let url = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }) {
                var address = String(url.dropFirst("http://".count))
                if address.hasSuffix(",") { address.removeLast() }
                return MasterProcess(pid: pid, address: address, output: output)
            }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        throw ValidationError("dev master did not become ready: \((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")")
    }

    func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return -1 }
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kilobytes / 1024
    }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, WNOHANG)
        unlink(output)
    }
}
