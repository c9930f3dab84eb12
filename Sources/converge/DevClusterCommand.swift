import ArgumentParser
import DevCluster
import Foundation

/// `converge dev-cluster`: a local Mesos-compatible master with simulated agents.
struct DevClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-cluster",
        abstract: "Run a local Mesos-compatible master whose agents run tasks as local processes.",
        discussion: "Serves until SIGINT or SIGTERM, then kills every task it started. See docs/devcluster.md."
    )

    @Option(help: "Address of the master, HOST:PORT (port 0 picks one).")
    var listen: String = "127.0.0.1:5050"

    @Option(help: "Number of agents (ignored when --config lists agents).")
    var agents: Int = 3

    @Flag(help: "Virtual mode: tasks need no process and turn RUNNING after --virtual-start-delay.")
    var virtual: Bool = false

    @Option(help: "Seconds before a virtual task is RUNNING.")
    var virtualStartDelay: Double = 0.05

    @Option(help: "Config file (JSON, or YAML for .yaml/.yml) with agent shapes and timings.")
    var config: String?

    @Option(help: "Seconds between HEARTBEAT events.")
    var heartbeatInterval: Double = 15

    @Option(help: "Rescind offers not answered within this many seconds (default: never).")
    var offerTimeout: Double?

    @Option(help: "Per-agent resources.")
    var cpus: Double = 4
    @Option(help: "Per-agent memory in MB.")
    var mem: Double = 4096
    @Option(help: "Per-agent disk in MB.")
    var disk: Double = 10240

    @Option(help: "Folder for task sandboxes (default: a temporary folder removed on exit).")
    var workDir: String?

    @Flag(help: "Also listen on a standby address that answers 307 to this master.")
    var standby: Bool = false

    @Option(name: .customLong("zk"), help: ArgumentHelp(
        "Register the master (and the standby) in ZooKeeper as Mesos masters do (zk://host:port/mesos).", valueName: "url"))
    var zooKeeper: String?

    func run() async throws {
        let parts = listen.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]), (0...65535).contains(port) else {
            throw ValidationError("--listen must be HOST:PORT, got '\(listen)'")
        }
        guard agents >= 0 else { throw ValidationError("--agents must be >= 0") }
        var settings = DevClusterConfig(port: port, agents: agents, virtual: virtual)
        settings.host = String(parts[0])
        settings.agents = AgentSpec.defaults(count: agents, virtual: virtual,
                                             template: AgentSpec(cpus: cpus, mem: mem, disk: disk))
        settings.virtualStartDelay = virtualStartDelay
        settings.heartbeatInterval = heartbeatInterval
        settings.offerTimeout = offerTimeout
        settings.workDirectory = workDir
        settings.standby = standby
        settings.zooKeeper = zooKeeper
        if let config { try settings.apply(file: config) }

        let cluster = try await DevCluster.start(settings)
        var line = "dev-cluster ready: master \(cluster.masterURL), \(cluster.agents.count) agents"
        if settings.virtual { line += " (virtual)" }
        if let standby = cluster.standbyAddress { line += ", standby http://\(standby)" }
        print(line)
        fflush(nil)
        await waitForTermination()
        await cluster.shutdown()
        print("dev-cluster stopped")
    }

    private func waitForTermination() async {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        for await _ in stream { break }
        sources.forEach { $0.cancel() }
    }
}
