import Foundation
import Logging
import Manifests
import Reconciler
import Scheduler
import Synchronization

/// A controller's API served for real on loopback over a fixed state, recording the changes asked of it.
final class FixtureController: ControllerHandle {
    struct Calls {
        var overrides: [Override] = []
        var removed: [String] = []
        var triggers: [(String, [String], [String: String])] = []
        var canaryDecisions: [String] = []
    }

    let workloads: [String: Workload]
    private let calls = Mutex(Calls())
    private let snapshot: ControllerState

    static let revision = "0123456789abcdef0123456789abcdef01234567"
    static let epoch = Date(timeIntervalSince1970: 1_790_000_000)

    init(manifests: String) {
        let set = loadManifests([ManifestFile(path: "services.yaml", contents: Array(manifests.utf8))])
        precondition(set.errors.isEmpty, "\(set.errors)")
        workloads = set.workloads
        var services: [String: ServiceSnapshot] = [:]
        for (name, workload) in set.workloads {
            let tasks = workload.kind.isLongRunning ? (0..<workload.spec.instances).map { index in
                TaskRecord(taskID: "\(name)-\(index)", slot: SlotID(service: name, instance: index), deployID: workload.deployId,
                           agentID: "a1", hostname: "agent-1", ports: [31_000 + index], state: .running, healthReported: true,
                           hasHealthCheck: true, launchedAt: Self.epoch, runningSince: Self.epoch, healthySince: Self.epoch)
            } : []
            services[name] = ServiceSnapshot(workload: workload, effectiveInstances: workload.spec.instances, tasks: tasks,
                                             currentDeployID: workload.deployId,
                                             deployStatus: workload.kind.isLongRunning ? .succeeded : nil)
        }
        // The job ran once.
        services["report"]?.jobRuns = [JobRun(taskID: "report-run-1", agentID: "a1", fireTime: Self.epoch, startedAt: Self.epoch,
                                              outcome: .succeeded, endedAt: Self.epoch.addingTimeInterval(3))]
        // One service runs one instance short: Progressing.
        if var web = services["web"] {
            web.tasks.removeLast()
            services["web"] = web
        }
        let history = [
            SyncRecord(id: 2, revision: Self.revision, trigger: .webhook, startedAt: Self.epoch.addingTimeInterval(60),
                       finishedAt: Self.epoch.addingTimeInterval(61), outcome: .synced, message: "1 to scale", summary: Plan().summary),
            SyncRecord(id: 1, revision: "fedcba9876543210fedcba9876543210fedcba98", trigger: .poll, startedAt: Self.epoch,
                       finishedAt: Self.epoch.addingTimeInterval(1), outcome: .rejected, message: "2 invalid manifests",
                       errors: ["web.yaml:7:3: spec.instances: expected an integer"]),
        ]
        snapshot = ControllerState(
            source: SourceDescription(repository: "https://git.example.com/ops.git", ref: "main", path: "prod"),
            appliedRevision: Self.revision, desired: set.workloads, latestRevision: Self.revision, lastSync: history[0],
            history: history,
            core: CoreSnapshot(frameworkID: "fw", connection: .subscribed, reconciled: true, revision: Self.revision,
                               services: services, takenAt: Self.epoch),
            plan: Plan(), ready: true, fetchErrors: 0)
    }

    var recorded: Calls { calls.withLock { $0 } }

    func state() async -> ControllerState { snapshot }

    func sync(trigger: SyncRecord.Trigger) async -> SyncRecord { snapshot.history[0] }

    func setOverride(_ override: Override) async throws { calls.withLock { $0.overrides.append(override) } }

    func removeOverride(service: String, kind: Override.Kind) async throws {
        calls.withLock { $0.removed.append("\(service) \(kind.rawValue)") }
    }

    func promote(service: String) async throws -> DeployHistoryEntry {
        calls.withLock { $0.canaryDecisions.append("promote \(service)") }
        return DeployHistoryEntry(service: service, deployID: workloads[service]?.deployId ?? "", revision: Self.revision,
                                  startedAt: Self.epoch, outcome: .inProgress, canary: CanaryState(phase: .promoted, decidedAt: Self.epoch))
    }

    func abortCanary(service: String) async throws -> DeployHistoryEntry {
        calls.withLock { $0.canaryDecisions.append("abort \(service)") }
        return DeployHistoryEntry(service: service, deployID: workloads[service]?.deployId ?? "", revision: Self.revision,
                                  startedAt: Self.epoch, endedAt: Self.epoch, outcome: .failed, reason: "canary aborted: aborted by hand",
                                  canary: CanaryState(phase: .aborted, decidedAt: Self.epoch))
    }

    func trigger(service: String, arguments: [String], environment: [String: String]) async throws -> String {
        calls.withLock { $0.triggers.append((service, arguments, environment)) }
        return "\(service)-run-7"
    }
}

/// A started API server over a `FixtureController`, with a token file; stopped and removed by `close()`.
final class ServedController {
    let controller: FixtureController
    let server: RunningAPIServer
    let folder: TempDir
    static let token = "cli-test-token-42"

    private init(controller: FixtureController, server: RunningAPIServer, folder: TempDir) {
        self.controller = controller
        self.server = server
        self.folder = folder
    }

    static func start(manifests: String) async throws -> ServedController {
        let folder = try TempDir()
        try Data((token + "\n").utf8).write(to: folder.url.appendingPathComponent("token"))
        let controller = FixtureController(manifests: manifests)
        var logger = Logger(label: "cli-test")
        logger.logLevel = .error
        let api = APIServer(handle: controller, configuration: APIConfiguration(
            listen: ListenAddress(host: "127.0.0.1", port: 0), tokenFile: folder.url.appendingPathComponent("token").path),
            logger: logger)
        return ServedController(controller: controller, server: try await api.start(), folder: folder)
    }

    var url: String { server.baseURL }
    var tokenFile: String { folder.url.appendingPathComponent("token").path }

    func close() async { await server.stop() }

    /// Runs the converge binary on a thread of its own, so the server keeps answering meanwhile.
    func converge(_ args: [String], environment: [String: String] = [:]) async throws -> ConvergeBinary.Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try ConvergeBinary.run(args, environment: environment, deadline: 60) })
            }
            thread.start()
        }
    }
}
