import Foundation
import Logging
import Manifests
import Mesos
import Testing
@testable import DevCluster
@testable import Scheduler

/// A dev cluster with real task processes, a state directory, and scheduler cores started on them.
final class DriverHarness: Sendable {
    let cluster: RunningCluster
    let stateDirectory: URL

    init(cluster: RunningCluster, stateDirectory: URL) {
        self.cluster = cluster
        self.stateDirectory = stateDirectory
    }

    /// The state store of the harness' directory, opened once more (as `converge` would read it).
    func openStore() throws -> StateStore { try StateStore(directory: stateDirectory) }

    /// A core on the harness' store directory (a second core on the same directory is a scheduler restart).
    func makeCore(reconcileIntervalSeconds: Double = 600,
                  _ adjust: (inout SchedulerCoreConfiguration) -> Void = { _ in }) throws -> SchedulerCore {
        var client = try MesosClientConfiguration(masters: [cluster.address])
        client.reconnectBackoff = Backoff(initial: .milliseconds(100), maximum: .milliseconds(500))
        client.logger.logLevel = .critical
        var logger = Logger(label: "converge.scheduler.test")
        logger.logLevel = ProcessInfo.processInfo.environment["DRIVER_LOG"] == nil ? .critical : .debug
        var configuration = SchedulerCoreConfiguration(
            client: client, frameworkName: "driver-test", failoverTimeoutSeconds: 600, refuseSeconds: 1,
            settleSeconds: 1,
            backoff: BackoffPolicy(baseSeconds: 0.5, maxSeconds: 2, jitter: 0, crashLoopFailures: 50, crashLoopWindowSeconds: 60, cooldownSeconds: 5),
            logger: logger)
        configuration.reconcileSettleSeconds = 0.3
        configuration.reconcileIntervalSeconds = reconcileIntervalSeconds
        configuration.jobRetryDelaySeconds = 0.5
        adjust(&configuration)
        return SchedulerCore(configuration: configuration, store: try StateStore(directory: stateDirectory))
    }
}

/// Starts a dev cluster whose agents hand out ports from `portBase` (each test its own range), runs `body`,
/// then shuts the cluster down and checks no task process survived.
func withDriverCluster(agents: Int = 3, portBase: UInt64, cpus: Double = 4,
                       configure: (inout DevClusterConfig) -> Void = { _ in },
                       _ body: (DriverHarness) async throws -> Void) async throws {
    var config = DevClusterConfig(port: 0, agents: agents)
    config.agents = AgentSpec.defaults(count: agents, template: AgentSpec(cpus: cpus), portsPerAgent: 20)
        .map { spec in var spec = spec; spec.portsBegin += portBase - 31000; spec.portsEnd += portBase - 31000; return spec }
    config.heartbeatInterval = 1
    config.allocationInterval = 0.2
    config.defaultRefuseSeconds = 1
    configure(&config)
    let cluster = try await DevCluster.start(config)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driver-test-\(UUID().uuidString.prefix(8))")
    defer { try? FileManager.default.removeItem(at: directory) }
    let harness = DriverHarness(cluster: cluster, stateDirectory: directory)
    do {
        try await body(harness)
    } catch {
        await cluster.shutdown()
        throw error
    }
    let groups = await cluster.processGroups()
    await cluster.shutdown()
    // No task process outlives the cluster.
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline, !groups.allSatisfy({ ProcessGroupMemory.members(ofGroup: $0).isEmpty }) {
        try await Task.sleep(for: .milliseconds(100))
    }
    #expect(groups.allSatisfy { ProcessGroupMemory.members(ofGroup: $0).isEmpty }, "task processes survived the cluster")
}

/// Parses one manifest document through the real manifest pipeline.
func workload(_ yaml: String, file: String = "services/test.yaml") throws -> Workload {
    let set = assemble([parseManifestFile(ManifestFile(path: file, contents: Array(yaml.utf8)))])
    guard set.isValid else { throw DriverTestError("invalid manifest: \(set.errors.map(\.description))") }
    guard let workload = set.workloads.values.first else { throw DriverTestError("no workload in manifest") }
    return workload
}

func desired(_ workloads: Workload..., revision: String = "r1", decommission: [DecommissionSelector] = []) -> DesiredState {
    DesiredState(revision: revision, workloads: Dictionary(uniqueKeysWithValues: workloads.map { ($0.name, $0) }),
                 decommission: decommission)
}

struct DriverTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls the core's snapshot until `condition` holds; throws with the last snapshot's summary at the deadline.
@discardableResult
func waitFor(_ core: SchedulerCore, timeout: Double = 30, _ what: String,
             _ condition: (CoreSnapshot) -> Bool) async throws -> CoreSnapshot {
    let deadline = Date().addingTimeInterval(timeout)
    var last = await core.snapshot()
    while Date() < deadline {
        last = await core.snapshot()
        if condition(last) { return last }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw DriverTestError("timed out after \(timeout)s waiting for \(what); snapshot: \(summary(last))")
}

func summary(_ snapshot: CoreSnapshot) -> String {
    var lines = ["connection=\(snapshot.connection) reconciled=\(snapshot.reconciled) unclaimed=\(snapshot.unclaimedTasks.map(\.taskID))"]
    for (name, service) in snapshot.services.sorted(by: { $0.key < $1.key }) {
        lines.append("\(name): current=\(service.currentDeployID) status=\(String(describing: service.deployStatus)) gate=\(service.launchGate) pending=\(service.pendingReason ?? "-")")
        for task in service.tasks {
            lines.append("  \(task.taskID) \(task.state) healthy=\(task.isHealthy) kill=\(task.killRequestedAt != nil) \(task.lastMessage ?? "")")
        }
        for run in service.jobRuns { lines.append("  run \(run.taskID) \(run.outcome) attempt=\(run.attempt)") }
    }
    return lines.joined(separator: "\n")
}

extension ServiceSnapshot {
    /// Healthy active tasks of any deploy.
    var healthyTotal: Int { tasks.filter(\.isHealthy).count }
    func active(deploy: String) -> [Scheduler.TaskRecord] { tasks.filter { $0.isActive && $0.deployID == deploy } }
}

/// A web service manifest: python's http.server on PORT0 with an HTTP health check on /health.
func webManifest(name: String = "web", instances: Int = 2, version: String = "v1", extra: String = "", healthPath: String = "/health",
                 deploy: String = "{stepSize: 1, healthyDeadlineSeconds: 60, killGraceSeconds: 1}", spread: String = "greedy") -> String {
    """
    apiVersion: converge/v1
    kind: Service
    metadata:
      name: \(name)
    spec:
      instances: \(instances)
      command: >-
        mkdir -p www && echo ok > www/health && echo \(version) > www/version &&
        exec python3 -m http.server --bind "$HOST" --directory www "$PORT0"
      env: {VERSION: \(version)\(extra)}
      resources: {cpus: 0.1, memoryMb: 64, ports: 1}
      healthCheck:
        http: {path: \(healthPath), port: 0}
        intervalSeconds: 1
        timeoutSeconds: 1
        gracePeriodSeconds: 10
        consecutiveFailures: 3
      deploy: \(deploy)
      placement: {spread: \(spread)}
    """
}

/// Samples a service's healthy capacity (healthy active tasks of any deploy) until stopped.
actor CapacitySampler {
    private(set) var minimum = Int.max
    private(set) var samples = 0
    private var task: Task<Void, Never>?

    func start(_ core: SchedulerCore, service: String) {
        task = Task { [weak self] in
            while !Task.isCancelled {
                let healthy = await core.snapshot().services[service]?.healthyTotal ?? 0
                await self?.record(healthy)
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    func record(_ healthy: Int) {
        minimum = min(minimum, healthy)
        samples += 1
    }

    func stop() async -> (minimum: Int, samples: Int) {
        task?.cancel()
        await task?.value
        return (minimum, samples)
    }
}
