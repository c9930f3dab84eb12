import DevCluster
import Foundation
import Manifests
@testable import Mesos
import Testing
@testable import Scheduler

/// The scheduler core with `--executor`: the real converge-executor on the dev cluster's agents.
/// Health gating, kills, a scheduler restart, an agent restart and decommissioning behave as with
/// Mesos' command executor.
@Suite(.serialized) struct ExecutorDriverTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static var executorPath: String { packageRoot + "/.build/debug/converge-executor" }

    func executor() throws -> ExecutorConfiguration {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executorPath),
                     "build converge-executor first (swift build --build-tests builds it)")
        return try ExecutorConfiguration(location: Self.executorPath)
    }

    /// CUSTOM executors the agents report, by task id.
    func executorsByTask(_ cluster: RunningCluster) async throws -> [String: String] {
        var result: [String: String] = [:]
        for agent in cluster.agents {
            let transport = HTTPTransport(security: TransportSecurity())
            let response = try await transport.perform(HTTPRequest(method: "GET", url: "http://\(agent.hostname):\(agent.port)/state",
                                                                   connectTimeout: .seconds(5), totalTimeout: .seconds(10)))
            let state = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
            for framework in state["frameworks"] as? [[String: Any]] ?? [] {
                for executor in framework["executors"] as? [[String: Any]] ?? [] where executor["type"] as? String == "CUSTOM" {
                    for task in executor["tasks"] as? [[String: Any]] ?? [] {
                        result[task["id"] as? String ?? ""] = executor["id"] as? String
                    }
                }
            }
        }
        return result
    }

    @Test func healthGatedServiceKillsRestartsAndDecommissioningWorkUnderTheExecutor() async throws {
        let executor = try executor()
        try await withDriverCluster(agents: 3, portBase: 49100) { harness in
            let first = try harness.makeCore { $0.executor = executor }
            await first.start()
            let web = try workload(webManifest(instances: 2, spread: "separateHosts"))
            await first.apply(desired(web))
            let running = try await waitFor(first, timeout: 60, "2 healthy under the executor") { $0.services["web"]?.healthyCount == 2 }
            let tasks = try #require(running.services["web"]).activeTasks
            // Each task runs under its own CUSTOM executor, converge-<task id>.
            let executors = try await executorsByTask(harness.cluster)
            for task in tasks { #expect(executors[task.taskID] == "converge-\(task.taskID)") }

            // A scheduler restart adopts the running tasks: nothing killed, nothing launched.
            await first.shutdown()
            let second = try harness.makeCore { $0.executor = executor }
            await second.start()
            await second.apply(desired(web))
            let adopted = try await waitFor(second, timeout: 30, "reconciled") { snapshot in
                snapshot.reconciled && snapshot.services["web"]?.healthyCount == 2
            }
            #expect(Set(try #require(adopted.services["web"]).activeTasks.map(\.taskID)) == Set(tasks.map(\.taskID)))
            #expect(adopted.counters.tasksLaunched == 0)

            // An agent process restart: the executor re-subscribes, its task stays RUNNING and healthy.
            let survivor = try #require(tasks.first)
            #expect(try await adminPost(harness.cluster, "/admin/agents/\(survivor.agentID)/restart-process") == 200)
            try await Task.sleep(for: .seconds(4))
            let afterRestart = try #require(await second.snapshot().services["web"])
            #expect(afterRestart.activeTasks.contains { $0.taskID == survivor.taskID && $0.isHealthy })
            #expect(await second.snapshot().counters.tasksLaunched == 0)

            // Scale down: the kill goes through the executor and ends TASK_KILLED.
            await second.apply(desired(try workload(webManifest(instances: 1, spread: "separateHosts"))))
            let scaled = try await waitFor(second, timeout: 30, "scaled to 1") { snapshot in
                guard let service = snapshot.services["web"] else { return false }
                return service.activeTasks.count == 1 && service.tasks.contains { $0.state == .killed }
            }
            let remaining = try #require(scaled.services["web"]?.activeTasks.first)

            // Decommission the remaining task's agent: it moves, healthy, under a new executor.
            let leaving = try #require(harness.cluster.agents.first { $0.id.value == remaining.agentID })
            await second.apply(desired(try workload(webManifest(instances: 1, spread: "separateHosts")),
                                       decommission: [DecommissionSelector(hostname: leaving.hostname)]))
            let moved = try await waitFor(second, timeout: 60, "decommissioned") { snapshot in
                snapshot.agents[leaving.id.value]?.state == .decommissioned && snapshot.services["web"]?.healthyCount == 1
            }
            let replacement = try #require(moved.services["web"]?.activeTasks.first)
            #expect(replacement.agentID != leaving.id.value)
            #expect(try await executorsByTask(harness.cluster)[replacement.taskID] == "converge-\(replacement.taskID)")
            await second.shutdown()
        }
    }
}
