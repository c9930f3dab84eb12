import DevCluster
import Foundation
import Logging
import Mesos
import Reconciler
import Scheduler
import Testing

/// A dev cluster with real agents, a real git repository and a state folder, for end-to-end controller tests.
final class ControllerHarness: @unchecked Sendable {
    // @unchecked: the fields are set once in `start` and only read afterwards.
    let cluster: RunningCluster
    let repository: TempRepository
    let stateDirectory: URL

    private init(cluster: RunningCluster, repository: TempRepository, stateDirectory: URL) {
        self.cluster = cluster
        self.repository = repository
        self.stateDirectory = stateDirectory
    }

    /// - Parameter portBase: first port of the agents' ranges (each agent gets 40); 49000-49999 belong to these tests.
    static func start(agents: Int = 2, portBase: UInt64, configure: (inout DevClusterConfig) -> Void = { _ in }) async throws -> ControllerHarness {
        var config = DevClusterConfig(port: 0, agents: agents, virtual: false)
        config.agents = AgentSpec.defaults(count: agents, template: AgentSpec(), portsPerAgent: 40).map { spec in
            var spec = spec
            spec.portsBegin += portBase - 31000
            spec.portsEnd += portBase - 31000
            return spec
        }
        config.heartbeatInterval = 1
        config.allocationInterval = 0.2
        configure(&config)
        let cluster = try await DevCluster.start(config)
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("controller-state-\(UUID().uuidString)")
        return ControllerHarness(cluster: cluster, repository: try TempRepository(), stateDirectory: state)
    }

    /// A core and a controller over the repository's `main` branch, sharing the harness' state folder.
    func controller(prune: Bool = true, allowMassDelete: Bool = false, repository: String? = nil,
                    pollInterval: Double = 1, source: ManifestSource? = nil,
                    onSync: (@Sendable (SyncRecord, TimeInterval) -> Void)? = nil) throws -> Controller {
        var client = try MesosClientConfiguration(masters: [cluster.masterURL])
        client.logger = Logger(label: "test.mesos")
        var coreConfiguration = SchedulerCoreConfiguration(client: client, failoverTimeoutSeconds: 3600, refuseSeconds: 1,
                                                           settleSeconds: 1, logger: Logger(label: "test.core"))
        coreConfiguration.backoff = BackoffPolicy(baseSeconds: 0.5, maxSeconds: 2, crashLoopFailures: 20)
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        let core = SchedulerCore(configuration: coreConfiguration, store: try StateStore(directory: stateDirectory))
        let source = source ?? ManifestSource.git(repository: repository ?? self.repository.path, ref: "main", path: nil,
                                        cacheDirectory: stateDirectory.appendingPathComponent("git").path)
        return try Controller(
            configuration: ControllerConfiguration(source: source, pollIntervalSeconds: pollInterval, prune: prune,
                                                   allowMassDelete: allowMassDelete, stateDirectory: stateDirectory),
            core: core, logger: Logger(label: "test.controller"), onSync: onSync)
    }

    /// Shuts the cluster down and checks that no task process survived.
    func stop() async {
        let groups = await cluster.processGroups()
        await cluster.shutdown()
        let deadline = Date().addingTimeInterval(10)
        let gone = { groups.allSatisfy { kill(-$0, 0) != 0 && errno == ESRCH } }
        while Date() < deadline, !gone() {
            try? await Task.sleep(for: .milliseconds(100))
        }
        #expect(gone(), "task processes survived shutdown")
        try? FileManager.default.removeItem(at: stateDirectory)
    }
}

/// A Worker manifest whose task only sleeps (healthy after the test core's settle time).
func workerManifest(_ name: String, instances: Int, version: String = "1", extra: String = "") -> String {
    """
    apiVersion: converge/v1
    kind: Worker
    metadata: {name: \(name)}
    spec:
      instances: \(instances)
      command: "echo \(name) v\(version); exec sleep 600"
      resources: {cpus: 0.1, memoryMb: 32}
      deploy: {stepSize: 1, healthyDeadlineSeconds: 60, killGraceSeconds: 1}
    \(extra)
    """
}

/// A Service manifest serving /health over HTTP on its first port, gated on the HTTP check.
func httpServiceManifest(_ name: String, instances: Int, version: String = "1") -> String {
    """
    apiVersion: converge/v1
    kind: Service
    metadata: {name: \(name)}
    spec:
      instances: \(instances)
      command: >-
        mkdir -p www && echo v\(version) > www/health &&
        exec python3 -m http.server --bind 127.0.0.1 --directory www "$PORT0"
      resources: {cpus: 0.1, memoryMb: 64, ports: 1}
      healthCheck:
        http: {path: /health, port: 0}
        intervalSeconds: 1
        timeoutSeconds: 1
        gracePeriodSeconds: 10
        consecutiveFailures: 3
      deploy: {stepSize: 1, healthyDeadlineSeconds: 60, killGraceSeconds: 1}
    """
}

extension Controller {
    /// Active tasks per service, as the core sees them.
    func activeTasks(_ service: String) async -> [TaskRecord] {
        await core.snapshot().services[service]?.activeTasks ?? []
    }

    func healthy(_ service: String, deploy: String? = nil) async -> Int {
        await activeTasks(service).filter { $0.isHealthy && (deploy == nil || $0.deployID.hasPrefix(deploy!)) }.count
    }

    func converged() async -> Bool {
        await observe()
        return await convergence()?.converged ?? false
    }
}
