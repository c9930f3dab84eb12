import ArgumentParser
import Foundation
import Manifests
import Scheduler

/// `converge-bench core-scale`: one service scaled from 2 to 50 real processes on a few dev cluster agents,
/// timed from `apply` to 50 healthy: the scheduler core's share of issue 5's "commit to converged in 5 s".
struct CoreScaleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core-scale",
        abstract: "Scale one service from 2 to 50 real processes through the scheduler core; time from apply to all healthy."
    )

    @Option(help: "Instances before.") var from = 2
    @Option(help: "Instances after.") var to = 50
    @Option(help: "Agents (real processes, each agent on its own loopback address).") var agents = 3
    @Option(help: "Per-agent cpus.") var agentCpus = 8.0
    @Option(help: "Per-agent memory in MB.") var agentMem = 8_192.0
    @Option(help: "Health check: http (python3 -m http.server, GET /), tcp (same server, connect), none (sleep 600).")
    var health = "http"
    @Option(help: "Health check interval in seconds.") var checkInterval = 1
    @Option(help: "The service's command (a shell string; default: python3 -m http.server $PORT0, or sleep 600 with --health none).")
    var command: String?
    @Option(help: "Core's settle time for tasks without a health check, in seconds.") var settle = 5.0
    @Option(help: "Scale-ups measured (scaled back down to --from in between).") var runs = 1
    @Option(help: "Give up on a wait after this many seconds.") var timeout = 120.0
    @Option(help: "Seconds between checks of the core's snapshot.") var poll = 0.05
    @Option(help: "The converge executable running the master (default: next to this benchmark).") var converge: String?
    @Flag(help: "Log the core and the Mesos client at info level.") var verbose = false

    func run() async throws {
        guard let healthKind = CoreFleet.Health(rawValue: health) else {
            throw ValidationError("--health must be one of \(CoreFleet.Health.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard from >= 0, to > from, runs >= 1 else { throw ValidationError("need 0 <= --from < --to and --runs >= 1") }
        func workloads(_ instances: Int) throws -> [String: Workload] {
            var options = CoreFleet.Options(services: 1, instances: instances, health: healthKind)
            options.mixedPlacement = false
            options.checkInterval = checkInterval
            options.command = command
            options.cpus = 0.1
            options.memoryMb = 64
            return try CoreFleet(options).load()
        }
        let small = try workloads(from)
        let large = try workloads(to)
        let name = small.keys.first!
        guard small[name]!.deployId == large[name]!.deployId else { throw ValidationError("scaling changed the deploy id") }

        let master = try DevClusterChild.start(
            executable: converge ?? DevClusterChild.siblingExecutable("converge"),
            settings: .init(agents: agents, virtual: false, cpus: agentCpus, mem: agentMem))
        defer { master.stop() }
        print("dev master pid \(master.pid) at \(master.address): \(agents) agents running real processes")
        let harness = try CoreHarness(master: master.address, settleSeconds: settle, verbose: verbose)
        do {
            let ready = try await harness.startAndWaitUntilReady(within: 60)
            print(String(format: "core subscribed and reconciled in %.2f s", ready.seconds))
            let command = small[name]!.spec.command.map { "\($0)" } ?? "-"
            print("service \(name): \(command), health \(health) every \(checkInterval) s")

            var results: [(launched: Double, running: Double, healthy: Double)] = []
            for run in 1...runs {
                await harness.core.apply(DesiredState(revision: "rev-small-\(run)", workloads: small))
                _ = try await waitFor(harness, name: name, timeout: timeout) { $0.healthy == from && $0.launched == from }
                let clock = ContinuousClock()
                let started = clock.now
                await harness.core.apply(DesiredState(revision: "rev-large-\(run)", workloads: large))
                var launchedAt: Double?
                var runningAt: Double?
                let healthyAt = try await waitFor(harness, name: name, timeout: timeout) { progress in
                    let elapsed = (clock.now - started).seconds
                    if launchedAt == nil, progress.launched >= to { launchedAt = elapsed }
                    if runningAt == nil, progress.running >= to { runningAt = elapsed }
                    return progress.healthy >= to
                }
                let result = (launched: launchedAt ?? healthyAt, running: runningAt ?? healthyAt, healthy: healthyAt)
                results.append(result)
                print(String(format: "run %d: %d -> %d: all launched %.2f s, all RUNNING %.2f s, all healthy %.2f s after apply",
                             run, from, to, result.launched, result.running, result.healthy))
                if let service = await harness.core.snapshot().services[name] {
                    print("  per task " + Self.phases(service.tasks.filter { $0.isActive && $0.deployID == service.currentDeployID }))
                }
            }
            let snapshot = await harness.core.snapshot()
            let masterMemory = master.memory
            await harness.shutdown()
            master.stop()
            let best = results.map(\.healthy).min()!
            let median = results.map(\.healthy).sorted()[results.count / 2]
            print("tasks launched \(snapshot.counters.tasksLaunched), killed \(snapshot.counters.tasksKilled)")
            print(String(format: "dev master peak RSS %.1f MB (task processes not included)", masterMemory?.peakMB ?? -1))
            print(String(format: "scale %d -> %d real processes: all healthy %.2f s after apply (median of %d; best %.2f s)",
                         from, to, median, results.count, best)
                  + "; issue 5's target for commit to converged: <= 5 s")
        } catch {
            await harness.shutdown()
            throw error
        }
    }

    /// Median and maximum of launch -> RUNNING and RUNNING -> healthy over the tasks (from the core's records).
    static func phases(_ tasks: [TaskRecord]) -> String {
        func summary(_ values: [Double]) -> String {
            guard !values.isEmpty else { return "-" }
            let sorted = values.sorted()
            return String(format: "median %.2f s, max %.2f s", sorted[sorted.count / 2], sorted.last!)
        }
        let starting = tasks.compactMap { task in task.runningSince.map { $0.timeIntervalSince(task.launchedAt) } }
        let checking = tasks.compactMap { task in
            task.runningSince.flatMap { running in task.healthySince.map { $0.timeIntervalSince(running) } }
        }
        return "launch -> RUNNING \(summary(starting)); RUNNING -> healthy \(summary(checking))"
    }

    /// Polls the core's snapshot until `done` holds; returns the seconds waited.
    private func waitFor(_ harness: CoreHarness, name: String, timeout: Double,
                         _ done: (CoreProgress) -> Bool) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        var progress = CoreProgress(await harness.core.snapshot(), services: [name])
        while clock.now - started < .milliseconds(Int(timeout * 1000)) {
            progress = CoreProgress(await harness.core.snapshot(), services: [name])
            if done(progress) { return (clock.now - started).seconds }
            try await Task.sleep(for: .milliseconds(Int(poll * 1000)))
        }
        let reason = progress.pendingReasons[name].map { "; pending: \($0)" } ?? ""
        throw ValidationError("not there within \(Int(timeout)) s: \(progress)\(reason)")
    }
}
