import DevCluster
import Foundation
import Manifests
@testable import Mesos
import Testing
@testable import Scheduler

/// The driver against the dev cluster with real processes: deploy, scale, rolling deploys, failed deploys.
@Suite(.serialized) struct DeployDriverTests {
    @Test func deploysAServiceWithHealthChecksAndScalesUpAndDown() async throws {
        try await withDriverCluster(portBase: 47000) { harness in
            let core = try harness.makeCore()
            await core.start()
            defer { Task { await core.shutdown() } }
            let web = try workload(webManifest(instances: 2))
            await core.apply(desired(web))

            // Reconciled too: a loaded machine can drop the subscription, and a snapshot taken just
            // after re-subscribing is not reconciled yet.
            let running = try await waitFor(core, "2 healthy instances, reconciled") { snapshot in
                snapshot.reconciled
                    && (snapshot.services["web"].map { $0.healthyCount == 2 && $0.activeTasks.count == 2 } ?? false)
            }
            #expect(running.frameworkID != nil)
            #expect(try harness.openStore().frameworkID() == running.frameworkID)
            let service = try #require(running.services["web"])
            #expect(service.currentDeployID == web.deployId)
            #expect(Set(service.activeTasks.map(\.slot.instance)) == [0, 1])
            #expect(service.activeTasks.allSatisfy { $0.ports.count == 1 && $0.hasHealthCheck })
            let succeeded = try await waitFor(core, "deploy succeeded") { $0.services["web"]?.deploys.first?.outcome == .succeeded }
            #expect(succeeded.services["web"]?.deployStatus == .succeeded)
            #expect(succeeded.counters.tasksLaunched == 2)

            // The processes really serve on their ports.
            for task in service.activeTasks {
                let body = try await httpGet(host: task.hostname, port: task.ports[0], path: "/version")
                #expect(body.trimmingCharacters(in: .whitespacesAndNewlines) == "v1")
            }

            // Scale up to 4: two more, the first two untouched.
            let firstIDs = Set(service.activeTasks.map(\.taskID))
            await core.apply(desired(try workload(webManifest(instances: 4))))
            let scaled = try await waitFor(core, "4 healthy") { $0.services["web"]?.healthyCount == 4 }
            let scaledTasks = try #require(scaled.services["web"]).activeTasks
            #expect(firstIDs.isSubset(of: Set(scaledTasks.map(\.taskID))))
            #expect(Set(scaledTasks.map(\.slot.instance)) == [0, 1, 2, 3])

            // Scale down to 1: the highest instances go.
            await core.apply(desired(try workload(webManifest(instances: 1))))
            let down = try await waitFor(core, "1 instance left") { snapshot in
                guard let web = snapshot.services["web"] else { return false }
                return web.activeTasks.count == 1 && web.tasks.filter { !$0.state.isTerminal }.count == 1
            }
            let left = try #require(down.services["web"]?.activeTasks.first)
            #expect(left.slot.instance == 0)
            let killed = try #require(down.services["web"]).tasks.filter { $0.state == .killed }
            #expect(Set(killed.map(\.slot.instance)) == [1, 2, 3])
            let history = try harness.openStore().taskHistory(service: "web")
            #expect(history.filter { $0.killReason == .scaleDown }.count == 3)
            await core.shutdown()
        }
    }
}

/// GET with a deadline (the task's own server, not the dev cluster), through the Mesos module's libcurl transport.
func httpGet(host: String, port: Int, path: String, timeout: Double = 5) async throws -> String {
    let transport = HTTPTransport(security: TransportSecurity())
    let response = try await transport.perform(HTTPRequest(method: "GET", url: "http://\(host):\(port)\(path)",
                                                           connectTimeout: .seconds(timeout), totalTimeout: .seconds(timeout)))
    guard response.status == 200 else { throw DriverTestError("GET \(path) answered \(response.status)") }
    return String(decoding: response.body, as: UTF8.self)
}

extension DeployDriverTests {
    @Test func explainsWhyTasksStayUnplaced() async throws {
        try await withDriverCluster(agents: 2, portBase: 48900) { harness in
            let core = try harness.makeCore()
            await core.start()
            let big = try workload("""
                apiVersion: converge/v1
                kind: Worker
                metadata: {name: big}
                spec:
                  instances: 1
                  command: "sleep 60"
                  resources: {cpus: 64, memoryMb: 64}
                """)
            await core.apply(desired(big))
            let stuck = try await waitFor(core, "a pending reason") { $0.services["big"]?.pendingReason?.contains("lack cpus") ?? false }
            #expect(stuck.services["big"]?.pendingReason == "2 agents lack cpus")
            #expect(stuck.services["big"]?.tasks.isEmpty == true)
            if case .inProgress(let healthy, let wanted) = stuck.services["big"]?.deployStatus {
                #expect(healthy == 0 && wanted == 1)
            } else {
                Issue.record("deploy status \(String(describing: stuck.services["big"]?.deployStatus))")
            }
            await core.shutdown()
        }
    }
}
