import ArgumentParser
import Foundation
import Logging
import Reconciler
import Scheduler
import Synchronization

/// Sync duration with deploy notifications going to dead receivers (one that accepts connections and
/// never answers, one on a closed port) against the same syncs without notifications. Every round
/// commits a new template for every service (a deploy each: deploy.started events, then task and
/// deploy.succeeded events while converging) and times `sync` until the desired set is handed over.
/// Rounds alternate between the two variants. Target: with dead receivers at most 5% slower.
struct NotifyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Sync time with dead notification receivers vs none (target: at most 5% longer).")

    @Option(help: "Services (Workers, one instance each).")
    var services = 300

    @Option(help: "Virtual agents.")
    var agents = 30

    @Option(help: "Rounds per variant (they alternate).")
    var rounds = 5

    @Option(help: "The converge executable running the dev cluster (default: next to this benchmark).")
    var converge: String?

    func run() async throws {
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(ControllerBench.loadAverage())")
        let cluster = try ChildDevCluster.start(
            executable: converge ?? ControllerBench.sibling("converge"),
            arguments: ["--virtual", "--agents", String(agents), "--cpus", "8", "--mem", "16384"])
        defer { cluster.stop() }
        let hanging = try SilentListener()
        defer { hanging.close() }
        let repository = try BenchRepository()
        defer { repository.remove() }
        func commitVersion(_ version: Int) throws -> String {
            for index in 0..<services {
                try repository.write(String(format: "svc-%04d.yaml", index), Self.manifest(String(format: "svc-%04d", index), version: version))
            }
            return try repository.commit("v\(version)")
        }
        let first = try commitVersion(0)

        let active = Mutex<Notifier?>(nil)
        var configuration = NotifierConfiguration(urls: ["http://127.0.0.1:\(hanging.port)/hook", "http://127.0.0.1:\(SilentListener.closedPort())/hook"],
                                                  secret: Array("bench-secret".utf8))
        configuration.attemptTimeout = .seconds(5)
        configuration.deliveryDeadline = .seconds(60)
        var quiet = Logger(label: "converge.notify")
        quiet.logLevel = .critical
        let dead = Notifier(configuration: configuration, logger: quiet)
        dead.start()
        let bench = try BenchController(master: cluster.masterURL, repository: repository.path, pollIntervalSeconds: 3600,
                                        afterSync: { record in active.withLock { $0 }?.syncRecorded(record) })
        let changes = await bench.controller.core.changes()
        let follower = Task { for await change in changes { active.withLock { $0 }?.coreChanged(change) } }
        let clock = ContinuousClock()
        guard await bench.waitConverged(revision: first, since: clock.now, deadlineSeconds: 180, pollSeconds: 0.2, reportEvery: nil) != nil else {
            throw ValidationError("the first revision did not converge within 180 s")
        }
        print("\(services) Workers on \(agents) virtual agents converged; \(rounds) rounds per variant")

        var without: [Double] = []
        var with: [Double] = []
        for round in 1...(2 * rounds) {
            let notifying = round % 2 == 0
            active.withLock { $0 = notifying ? dead : nil }
            let revision = try commitVersion(round)
            let started = clock.now
            let record = await bench.controller.sync(trigger: .api)
            let seconds = ControllerBench.seconds(clock.now - started)
            guard record.revision == revision else { throw ValidationError("round \(round): sync ended \(record.outcome): \(record.message)") }
            if notifying { with.append(seconds) } else { without.append(seconds) }
            let converged = await bench.waitConverged(revision: revision, since: clock.now, deadlineSeconds: 180, pollSeconds: 0.2,
                                                      reportEvery: nil)
            print(String(format: "  round %2d %@: sync %.1f ms; converged after %.1f s", round,
                         notifying ? "dead receivers" : "no receivers  ", seconds * 1000, converged ?? -1))
        }
        follower.cancel()
        let counts = dead.counts
        await bench.stop()
        await dead.stop()
        let base = Self.median(without), slowed = Self.median(with)
        let ratio = slowed / base
        // Each round with dead receivers against the round just before it (the load of a shared machine drifts).
        let pairRatio = Self.median(zip(with, without).map { $0 / $1 })
        print(String(format: "sync, median of %d: without notifications %.1f ms; with two dead receivers %.1f ms; ratio %.3f; "
                     + "median ratio of adjacent rounds %.3f (target <= 1.05: %@)", rounds, base * 1000, slowed * 1000, ratio, pairRatio,
                     max(ratio, pairRatio) <= 1.05 ? "met" : "MISSED"))
        print("dead receivers: \(counts.sent) sent, \(counts.failed) failed, \(counts.dropped) dropped (queue of \(configuration.capacity))")
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }

    static func manifest(_ name: String, version: Int) -> String {
        """
        apiVersion: converge/v1
        kind: Worker
        metadata: {name: \(name)}
        spec:
          instances: 1
          command: "exec sleep 600"
          env: {VERSION: "\(version)"}
          resources: {cpus: 0.1, memoryMb: 32}
          deploy: {stepSize: 1, healthyDeadlineSeconds: 120, killGraceSeconds: 1}

        """
    }
}

/// A loopback TCP port that accepts connections (into the kernel's backlog) and never answers.
final class SilentListener: @unchecked Sendable {
    // @unchecked: the descriptor and port are set once in init.
    let fd: Int32
    let port: Int

    init() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        port = SilentListener.bindLoopback(fd)
        guard port > 0, listen(fd, 1024) == 0 else { throw ValidationError("cannot listen on loopback") }
    }

    func close() { _ = Glibc.close(fd) }

    /// A loopback port nothing listens on (bound, then closed).
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { _ = Glibc.close(fd) }
        return bindLoopback(fd)
    }

    private static func bindLoopback(_ fd: Int32) -> Int {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { return 0 }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
