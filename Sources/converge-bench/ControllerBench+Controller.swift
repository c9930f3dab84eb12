import Foundation
import Manifests
import Mesos
import Reconciler
import Scheduler

/// A controller and its scheduler core as `converge run` builds them (default core settings, a git
/// source with a cache clone, a state folder), running its loop in a task of its own.
final class BenchController: @unchecked Sendable {
    // @unchecked: every field is set once in init and only read afterwards.
    let controller: Controller
    let stateDirectory: URL
    private let runner: Task<Void, Never>

    /// - Parameter runMemoryPolicy: as `converge run` and `converge dev` do: two malloc arenas, and
    ///   `malloc_trim(0)` after each sync.
    /// - Parameter afterSync: called after each recorded sync (the notification benchmark hands records to a notifier).
    init(master: String, repository: String, pollIntervalSeconds: Double, runMemoryPolicy: Bool = true,
         afterSync: (@Sendable (SyncRecord) -> Void)? = nil) throws {
        if runMemoryPolicy { ControllerBench.limitArenas() }
        stateDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("controller-bench-state-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        var client = try MesosClientConfiguration(masters: [master])
        client.logger.logLevel = .warning
        var core = SchedulerCoreConfiguration(client: client, failoverTimeoutSeconds: 3600)
        core.logger.logLevel = .warning
        var logger = core.logger
        logger.logLevel = .warning
        let source = ManifestSource.git(repository: repository, ref: "main", path: nil,
                                        cacheDirectory: stateDirectory.appendingPathComponent("git").path)
        let onSync: @Sendable (SyncRecord, TimeInterval) -> Void = { record, _ in
            afterSync?(record)
            if runMemoryPolicy { ControllerBench.mallocTrim() }
        }
        controller = try Controller(
            configuration: ControllerConfiguration(source: source, pollIntervalSeconds: pollIntervalSeconds, stateDirectory: stateDirectory),
            core: SchedulerCore(configuration: core, store: try StateStore(directory: stateDirectory)), logger: logger,
            onSync: onSync)
        let controller = self.controller
        runner = Task { await controller.run() }
    }

    /// Where the controller stands: the applied revision, healthy and desired instances over all services,
    /// services done, and whether the applied revision has converged.
    func progress() async -> BenchProgress {
        // The core's revision, not `state()`: that plans the whole revision again on every call.
        let revision = await controller.core.snapshot().revision
        guard let convergence = await controller.convergence() else {
            return BenchProgress(revision: nil, healthy: 0, desired: 0, done: 0, services: 0, converged: false, failures: [])
        }
        return BenchProgress(
            revision: revision,
            healthy: convergence.progress.reduce(0) { $0 + min($1.healthy, $1.desired) },
            desired: convergence.progress.reduce(0) { $0 + $1.desired },
            done: convergence.progress.filter(\.done).count, services: convergence.progress.count,
            converged: convergence.converged, failures: convergence.failures.map { "\($0.name): \($0.reason)" })
    }

    /// Active (staging, starting, running, killing) tasks of one service, as the core sees them.
    func activeTasks(_ service: String) async -> Int {
        await controller.core.snapshot().services[service]?.activeTasks.count ?? 0
    }

    /// Polls until `revision` is applied and converged (and `extra` holds); prints progress every
    /// `reportEvery` seconds. Returns the seconds from `started`, or nil at the deadline.
    func waitConverged(revision: String, since started: ContinuousClock.Instant, deadlineSeconds: Double,
                       pollSeconds: Double, reportEvery: Double?, extra: (() async -> Bool)? = nil) async -> Double? {
        let clock = ContinuousClock()
        var nextReport = reportEvery ?? .infinity
        var handedOver = false
        while true {
            let progress = await self.progress()
            let elapsed = ControllerBench.seconds(clock.now - started)
            if !handedOver, progress.revision == revision, reportEvery != nil {
                handedOver = true
                print(String(format: "  %5.2f s: the core holds the new revision (sync handed it over)", elapsed))
            }
            if progress.revision == revision, progress.converged, await extra?() ?? true { return elapsed }
            if elapsed >= nextReport {
                let memory = ControllerBenchMemory.read()
                print(String(format: "  %5.1f s: %d/%d services done, %d/%d instances healthy, ",
                             elapsed, progress.done, progress.services, progress.healthy, progress.desired)
                      + "controller \(memory.description), load \(ControllerBench.loadAverage())")
                if let failure = progress.failures.first { print("    first failure: \(failure)") }
                fflush(nil)
                nextReport += reportEvery ?? .infinity
            }
            if elapsed >= deadlineSeconds { return nil }
            try? await Task.sleep(for: .milliseconds(Int(pollSeconds * 1000)))
        }
    }

    func stop() async {
        runner.cancel()
        await runner.value
        await controller.shutdown()
        try? FileManager.default.removeItem(at: stateDirectory)
    }
}

struct BenchProgress {
    var revision: String?
    var healthy: Int
    var desired: Int
    var done: Int
    var services: Int
    var converged: Bool
    var failures: [String]
}
