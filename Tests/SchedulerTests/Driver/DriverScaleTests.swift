import Foundation
import Manifests
import Mesos
import Testing
@testable import DevCluster
@testable import Scheduler

/// Many services on a virtual dev cluster (no processes). Opt-in: DRIVER_BENCH=1 (slow in debug builds).
@Suite(.serialized) struct DriverScaleTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DRIVER_BENCH"] != nil))
    func thousandServicesOnTwoHundredVirtualAgents() async throws {
        let services = Int(ProcessInfo.processInfo.environment["DRIVER_BENCH_SERVICES"] ?? "") ?? 1000
        var config = DevClusterConfig(port: 0, agents: 200, virtual: true)
        config.allocationInterval = 0.2
        config.heartbeatInterval = 5
        let cluster = try await DevCluster.start(config)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driver-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let harness = DriverHarness(cluster: cluster, stateDirectory: directory)
        let core = try harness.makeCore()
        let yaml = (0..<services).map { index in
            """
            apiVersion: converge/v1
            kind: Service
            metadata: {name: svc-\(index)}
            spec:
              instances: 3
              command: "serve"
              resources: {cpus: 0.1, memoryMb: 32, ports: 1}
              healthCheck: {tcp: {port: 0}}
            """
        }.joined(separator: "\n---\n")
        let set = assemble([parseManifestFile(ManifestFile(path: "all.yaml", contents: Array(yaml.utf8)))])
        #expect(set.isValid, "\(set.errors.prefix(3))")
        await core.start()
        try await waitFor(core, "reconciled") { $0.reconciled }
        let started = Date()
        await core.apply(DesiredState(revision: "bench", manifests: set))
        let done = try await waitFor(core, timeout: 300, "all healthy") { snapshot in
            snapshot.services.count == services && snapshot.services.values.allSatisfy { $0.healthyCount == 3 }
        }
        let elapsed = Date().timeIntervalSince(started)
        print("driver bench: \(services) services x 3 on 200 virtual agents healthy in \(String(format: "%.1f", elapsed)) s; launched \(done.counters.tasksLaunched)")
        let stats = await core.tickStats
        print("driver bench: \(stats.count) ticks, \(String(format: "%.2f", stats.total)) s in ticks, longest \(String(format: "%.3f", stats.longest)) s; offers \(done.counters.offersReceived), declined \(done.counters.offersDeclined)")
        #expect(done.counters.tasksLaunched == services * 3)
        await core.shutdown()
        await cluster.shutdown()
    }
}
