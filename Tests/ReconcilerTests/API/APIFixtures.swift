import Foundation
import Manifests
import Scheduler
import Synchronization
@testable import Reconciler

/// Real workloads, parsed and validated from YAML by the Manifests module.
enum APIFixtures {
    static let manifests = """
        apiVersion: converge/v1
        kind: Service
        metadata: {name: web, owners: [team-web]}
        spec:
          instances: 3
          command: python3 -m http.server $PORT0
          env: {LOG_LEVEL: info, DB_PASSWORD: hunter2}
          resources: {cpus: 0.5, memoryMb: 64, ports: 1}
          healthCheck:
            http: {path: /, port: 0}
          deploy: {healthyDeadlineSeconds: 60}
        ---
        apiVersion: converge/v1
        kind: Worker
        metadata: {name: queue}
        spec:
          instances: 2
          command: [sleep, "3600"]
        ---
        apiVersion: converge/v1
        kind: OnDemand
        metadata: {name: report}
        spec:
          instances: 1
          command: echo report
        ---
        apiVersion: converge/v1
        kind: Scheduled
        metadata: {name: nightly}
        spec:
          schedule: "0 3 * * *"
          command: echo nightly
        """

    static let workloads: [String: Workload] = parse(manifests)

    static func parse(_ yaml: String, path: String = "services.yaml") -> [String: Workload] {
        let set = loadManifests([ManifestFile(path: path, contents: Array(yaml.utf8))])
        precondition(set.errors.isEmpty, "fixture manifests invalid: \(set.errors)")
        return set.workloads
    }

    /// `web` with one field changed (a new deploy id).
    static func changed(_ name: String, edit: (String) -> String) -> Workload {
        parse(edit(manifests))[name]!
    }

    static let epoch = Date(timeIntervalSince1970: 1_790_000_000)

    static func task(_ service: String, _ instance: Int, deploy: String, state: TaskState = .running, healthy: Bool = true,
                     launchedAt: Date = epoch, host: String = "agent-1", ports: [Int] = []) -> TaskRecord {
        TaskRecord(taskID: "\(service)-\(instance)-\(deploy)", slot: SlotID(service: service, instance: instance), deployID: deploy,
                   agentID: "a-\(host)", hostname: host, ports: ports, state: state, healthReported: healthy,
                   hasHealthCheck: true, launchedAt: launchedAt, runningSince: state == .running ? launchedAt : nil,
                   healthySince: healthy ? launchedAt.addingTimeInterval(2) : nil)
    }

    /// A service the core runs as desired: every instance running and healthy.
    static func converged(_ workload: Workload, at time: Date = epoch) -> ServiceSnapshot {
        let tasks = workload.kind.isLongRunning
            ? (0..<workload.spec.instances).map { task(workload.name, $0, deploy: workload.deployId, launchedAt: time, ports: [31_000 + $0]) }
            : []
        return ServiceSnapshot(
            workload: workload, effectiveInstances: workload.spec.instances, tasks: tasks, currentDeployID: workload.deployId,
            deployStatus: workload.kind.isLongRunning ? .succeeded : nil,
            deploys: [DeployHistoryEntry(service: workload.name, deployID: workload.deployId, revision: "rev1", startedAt: time,
                                         endedAt: time.addingTimeInterval(5), outcome: .succeeded)])
    }

    static func state(services: [String: ServiceSnapshot]? = nil, desired: [String: Workload] = workloads, ready: Bool = true,
                      history: [SyncRecord] = [], plan: Plan = Plan()) -> ControllerState {
        let services = services ?? desired.mapValues { converged($0) }
        var counters = CoreCounters()
        counters.offersReceived = 12
        counters.offersDeclined = 7
        counters.deploysSucceeded = 4
        counters.deploysFailed = 1
        return ControllerState(
            source: SourceDescription(repository: "https://git.example.com/ops/cluster.git", ref: "main", path: "prod"),
            appliedRevision: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", desired: desired,
            latestRevision: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", lastSync: history.first, history: history,
            core: CoreSnapshot(frameworkID: "fw-1", connection: .subscribed, reconciled: true, revision: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
                               services: services,
                               agents: ["a1": AgentStatus(id: "a1", hostname: "agent-1", taskCount: 5),
                                        "a2": AgentStatus(id: "a2", hostname: "agent-2", state: .decommissioned)],
                               counters: counters, takenAt: epoch),
            plan: plan, ready: ready, fetchErrors: 2)
    }
}

/// A `ControllerHandle` over a fixed state that records what it is asked to do.
final class RecordingHandle: ControllerHandle {
    struct Calls {
        var syncs: [SyncRecord.Trigger] = []
        var overrides: [Override] = []
        var removed: [(String, Override.Kind)] = []
        var triggers: [(String, [String], [String: String])] = []
        var canaryDecisions: [String] = []
    }

    private let current: Mutex<ControllerState>
    private let calls = Mutex(Calls())
    /// Holds each sync until released (to test coalescing); nil: syncs return at once.
    let syncGate: AsyncGate?

    init(_ state: ControllerState, syncGate: AsyncGate? = nil) {
        current = Mutex(state)
        self.syncGate = syncGate
    }

    var recorded: Calls { calls.withLock { $0 } }

    func update(_ change: (inout ControllerState) -> Void) { current.withLock { change(&$0) } }

    func state() async -> ControllerState { current.withLock { $0 } }

    func sync(trigger: SyncRecord.Trigger) async -> SyncRecord {
        let id = calls.withLock { calls -> Int in
            calls.syncs.append(trigger)
            return calls.syncs.count
        }
        if let syncGate { await syncGate.wait() }
        return SyncRecord(id: id, revision: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", trigger: trigger, startedAt: APIFixtures.epoch,
                          finishedAt: APIFixtures.epoch.addingTimeInterval(0.25), outcome: .synced, message: "nothing to do",
                          summary: Plan().summary)
    }

    func setOverride(_ override: Override) async throws {
        calls.withLock { $0.overrides.append(override) }
    }

    func removeOverride(service: String, kind: Override.Kind) async throws {
        calls.withLock { $0.removed.append((service, kind)) }
    }

    func promote(service: String) async throws -> DeployHistoryEntry {
        try decide("promote", service: service, phase: .promoted)
    }

    func abortCanary(service: String) async throws -> DeployHistoryEntry {
        try decide("abort", service: service, phase: .aborted)
    }

    /// Only `web` has a canary waiting in the fixture.
    private func decide(_ action: String, service: String, phase: CanaryPhase) throws -> DeployHistoryEntry {
        guard service == "web" else { throw SchedulerCoreError.noCanary(service: service, phase: nil) }
        calls.withLock { $0.canaryDecisions.append("\(action) \(service)") }
        return DeployHistoryEntry(service: service, deployID: "d2", revision: nil, startedAt: APIFixtures.epoch,
                                  endedAt: phase == .aborted ? APIFixtures.epoch : nil, outcome: phase == .aborted ? .failed : .inProgress,
                                  reason: phase == .aborted ? "canary aborted: aborted by hand" : nil, canary: CanaryState(phase: phase))
    }

    func trigger(service: String, arguments: [String], environment: [String: String]) async throws -> String {
        guard current.withLock({ $0.desired[service]?.kind == .onDemand }) else {
            throw TriggerRefused(description: "\(service) is not an OnDemand job")
        }
        calls.withLock { $0.triggers.append((service, arguments, environment)) }
        return "\(service)-run-1"
    }

    struct TriggerRefused: Error, CustomStringConvertible {
        var description: String
    }
}

/// Opens once, releasing every waiter (and later ones at once).
final class AsyncGate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
