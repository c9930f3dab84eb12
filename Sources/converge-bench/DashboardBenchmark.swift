import ArgumentParser
import Foundation
import Manifests
import Reconciler
import Scheduler

/// The dashboard's services page loading and rendering N services in headless Chromium (Selenium,
/// tests/dashboard/bench_dashboard.py), served by the real API server over a controller state of N
/// parsed, converged services with 3 running tasks each. Target: under 2 s for 10,000.
struct DashboardBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Services page load and render of 10,000 services in headless Chromium (target: < 2 s).")

    @Option(help: "Services in the controller's state.")
    var services = 10_000

    @Option(help: "Page loads measured (fresh navigation each).")
    var runs = 5

    func run() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let state = Self.state(services: services)
        let server = try await APIServer(handle: FixedHandle(state: state),
                                         configuration: APIConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0))).start()
        defer { Task { await server.stop() } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root + "/tests/dashboard/bench_dashboard.py", server.baseURL, String(services), String(runs)]
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = root + "/.python-deps/site"
        process.environment = environment
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        await server.stop()
        if process.terminationStatus != 0 { throw ExitCode(process.terminationStatus) }
    }

    /// N Services of 3 instances, each running 3 healthy tasks of its deploy, parsed from YAML.
    static func state(services count: Int) -> ControllerState {
        let files = (0..<count).map { n in
            ManifestFile(path: "team-\(n % 50)/svc-\(n).yaml", contents: Array("""
                apiVersion: converge/v1
                kind: Service
                metadata: {name: svc-\(n), owners: [team-\(n % 50)], labels: {tier: t\(n % 3)}}
                spec:
                  instances: 3
                  command: python3 -m http.server $PORT0
                  resources: {cpus: 0.1, memoryMb: 64, ports: 1}
                """.utf8))
        }
        let set = loadManifests(files)
        let now = Date()
        var snapshots: [String: ServiceSnapshot] = [:]
        for (name, workload) in set.workloads {
            let tasks = (0..<3).map { i in
                TaskRecord(taskID: "\(name)-\(i)-\(workload.deployId)", slot: SlotID(service: name, instance: i), deployID: workload.deployId,
                           agentID: "a\(i)", hostname: "agent-\(i)", ports: [31_000 + i], state: .running, healthReported: true,
                           hasHealthCheck: true, launchedAt: now, runningSince: now, healthySince: now)
            }
            snapshots[name] = ServiceSnapshot(workload: workload, effectiveInstances: 3, tasks: tasks, currentDeployID: workload.deployId,
                                              deployStatus: .succeeded)
        }
        let revision = String(repeating: "ab", count: 20)
        return ControllerState(
            source: SourceDescription(repository: "bench", ref: "main", path: nil), appliedRevision: revision, desired: set.workloads,
            latestRevision: revision, lastSync: nil, history: [],
            core: CoreSnapshot(frameworkID: "fw", connection: .subscribed, reconciled: true, revision: revision, services: snapshots, takenAt: now),
            plan: Plan(), ready: true, fetchErrors: 0)
    }
}

/// A controller that only answers with a fixed state (the benchmark measures the page, not syncs).
struct FixedHandle: ControllerHandle {
    let state: ControllerState

    func state() async -> ControllerState { state }
    func sync(trigger: SyncRecord.Trigger) async -> SyncRecord {
        SyncRecord(id: 0, revision: state.appliedRevision, trigger: trigger, startedAt: Date(), outcome: .synced, message: "fixed")
    }
    func setOverride(_ override: Override) async throws { throw ExitCode(1) }
    func removeOverride(service: String, kind: Override.Kind) async throws { throw ExitCode(1) }
    func trigger(service: String, arguments: [String], environment: [String: String]) async throws -> String { throw ExitCode(1) }
    func promote(service: String) async throws -> DeployHistoryEntry { throw ExitCode(1) }
    func abortCanary(service: String) async throws -> DeployHistoryEntry { throw ExitCode(1) }
}
