import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Reconciler

/// Commit (signed webhook) to converged for one service scaled from 2 to 50 real processes on a real dev
/// cluster (child process), through the controller's HTTP API. Target: at most 5 s.
struct ControllerScaleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller-scale",
        abstract: "Webhook to 50 healthy processes for a one-service scale from 2 (target: <= 5 s).")

    enum Workload: String, ExpressibleByArgument, CaseIterable {
        case http, worker, both
    }

    @Option(help: "http: python http.server with an HTTP health check; worker: `exec sleep 600`, healthy after the core's settle time; both.")
    var workload: Workload = .both

    @Option(help: "Scale-ups measured (scaled back to --from between them).")
    var runs = 3

    @Option(help: "Instances before the scale.")
    var from = 2

    @Option(help: "Instances after the scale.")
    var to = 50

    @Option(help: "Dev cluster agents.")
    var agents = 4

    @Option(help: "CPUs per agent.")
    var cpus = 16

    @Option(help: "First port of the agents' ranges (100 each; away from the dev cluster's default 31000 used by other runs).")
    var portBase = 43000

    @Option(help: "The converge executable running the dev cluster (default: next to this benchmark).")
    var converge: String?

    func run() async throws {
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(ControllerBench.loadAverage())")
        let kinds: [Workload] = workload == .both ? [.http, .worker] : [workload]
        var lines: [String] = []
        for kind in kinds {
            let times = try await measure(kind)
            let sorted = times.sorted()
            let line = "\(kind.rawValue): " + String(format: "webhook to %d healthy, %d runs: min %.2f s, median %.2f s, max %.2f s",
                                                      to, sorted.count, sorted.first ?? .nan, sorted[sorted.count / 2],
                                                      sorted.last ?? .nan)
                + " (target <= 5 s: \(sorted[sorted.count / 2] <= 5 ? "met" : "MISSED"))"
            print(line)
            lines.append(line)
        }
        print("summary (load average now \(ControllerBench.loadAverage())):")
        lines.forEach { print("  " + $0) }
    }

    private func measure(_ kind: Workload) async throws -> [Double] {
        let manifest: (Int) -> String = kind == .http
            ? { BenchManifests.httpService("scale", instances: $0) } : { BenchManifests.sleepWorker("scale", instances: $0) }
        let repository = try BenchRepository()
        defer { repository.remove() }
        // Agent shapes through a config file: own port ranges, two zones, real processes.
        let groups = (0..<agents).map { index in
            let begin = portBase + index * 100
            return #"{"count": 1, "cpus": \#(cpus), "mem": 16384, "ports": "\#(begin)-\#(begin + 99)", "#
                + #""attributes": {"rack": "r\#(index % 3 + 1)", "zone": "\#(index % 2 == 0 ? "zone-a" : "zone-b")"}}"#
        }
        let configFile = repository.root.deletingLastPathComponent().appendingPathComponent("controller-bench-cluster-\(UUID().uuidString).json")
        try Data(#"{"agents": [\#(groups.joined(separator: ", "))]}"#.utf8).write(to: configFile)
        defer { try? FileManager.default.removeItem(at: configFile) }
        let cluster = try ChildDevCluster.start(executable: converge ?? ControllerBench.sibling("converge"),
                                                arguments: ["--config", configFile.path])
        defer { cluster.stop() }
        let secret = "bench-secret-\(UUID().uuidString)"
        let secretFile = repository.root.deletingLastPathComponent().appendingPathComponent("controller-bench-secret-\(UUID().uuidString)")
        try Data(secret.utf8).write(to: secretFile)
        defer { try? FileManager.default.removeItem(at: secretFile) }

        try repository.write("scale.yaml", manifest(from))
        var revision = try repository.commit("scale at \(from)")
        let clock = ContinuousClock()
        let started = clock.now
        // A poll interval of an hour: only the webhook brings a new commit in.
        let bench = try BenchController(master: cluster.masterURL, repository: repository.path, pollIntervalSeconds: 3600)
        let server = try await APIServer(
            handle: bench.controller,
            configuration: APIConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0), webhookSecretFile: secretFile.path)
        ).start()
        guard let first = await bench.waitConverged(revision: revision, since: started, deadlineSeconds: 180, pollSeconds: 0.1,
                                                    reportEvery: 5) else {
            await server.stop(); await bench.stop()
            throw ValidationError("\(kind.rawValue): \(from) instances did not converge within 180 s")
        }
        print("\(kind.rawValue): " + String(format: "controller started, %d instances converged in %.2f s", from, first))

        var times: [Double] = []
        for index in 1...max(1, runs) {
            try repository.write("scale.yaml", manifest(to))
            revision = try repository.commit("scale to \(to)")
            let posted = clock.now
            try await postWebhook(server.baseURL, revision: revision, secret: secret)
            guard let up = await bench.waitConverged(revision: revision, since: posted, deadlineSeconds: 120, pollSeconds: 0.02,
                                                     reportEvery: 2) else {
                await server.stop(); await bench.stop()
                throw ValidationError("\(kind.rawValue): run \(index): \(to) instances not healthy within 120 s of the webhook")
            }
            times.append(up)
            print("\(kind.rawValue): " + String(format: "run %d: webhook to %d healthy in %.2f s", index, to, up)
                  + " (controller \(ControllerBenchMemory.read().description), load \(ControllerBench.loadAverage()))")
            fflush(nil)

            try repository.write("scale.yaml", manifest(from))
            revision = try repository.commit("scale back to \(from)")
            let down = clock.now
            try await postWebhook(server.baseURL, revision: revision, secret: secret)
            let target = from
            guard let back = await bench.waitConverged(revision: revision, since: down, deadlineSeconds: 120, pollSeconds: 0.1,
                                                       reportEvery: 10, extra: { await bench.activeTasks("scale") == target }) else {
                await server.stop(); await bench.stop()
                throw ValidationError("\(kind.rawValue): run \(index): not back at \(from) instances within 120 s")
            }
            print("\(kind.rawValue): " + String(format: "run %d: scaled back to %d in %.2f s", index, from, back))
        }
        // Leave nothing behind: the dev cluster kills the remaining tasks when it stops.
        await server.stop()
        await bench.stop()
        return times
    }

    private func postWebhook(_ baseURL: String, revision: String, secret: String) async throws {
        let payload = #"{"ref":"refs/heads/main","after":"\#(revision)"}"#
        var request = URLRequest(url: URL(string: baseURL + "/hooks/git")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("push", forHTTPHeaderField: "X-GitHub-Event")
        request.setValue(WebhookSignature.header(body: Array(payload.utf8), secret: Array(secret.utf8)),
                         forHTTPHeaderField: "X-Hub-Signature-256")
        request.httpBody = Data(payload.utf8)
        request.timeoutInterval = 30
        let (body, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 202 else {
            throw ValidationError("webhook answered \(status): \(String(decoding: body, as: UTF8.self))")
        }
    }
}
