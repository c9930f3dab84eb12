import Foundation
import Manifests
import Mesos
import Testing
@testable import Scheduler

/// Losing the subscription: the core re-subscribes with its framework id, reconciles, and changes nothing.
@Suite(.serialized) struct ConnectionDriverTests {
    @Test func reSubscribesAfterDisconnectAndMasterFailoverWithoutTouchingTasks() async throws {
        try await withDriverCluster(agents: 2, portBase: 48600) { harness in
            let core = try harness.makeCore()
            await core.start()
            await core.apply(desired(try workload(webManifest(instances: 2))))
            let running = try await waitFor(core, "2 healthy") { $0.services["web"]?.healthyCount == 2 }
            let frameworkID = try #require(running.frameworkID)
            let taskIDs = Set(try #require(running.services["web"]).activeTasks.map(\.taskID))
            let reconciliations = running.counters.reconciliations

            #expect(try await adminPost(harness.cluster, "/admin/frameworks/\(frameworkID)/disconnect") == 200)
            try await waitFor(core, timeout: 30, "re-subscribed and reconciled") { snapshot in
                snapshot.connection == .subscribed && snapshot.reconciled && snapshot.counters.reconciliations > reconciliations
            }
            #expect(try await adminPost(harness.cluster, "/admin/master/restart?recovery_seconds=1") == 200)
            let after = try await waitFor(core, timeout: 30, "back after the master failover") { snapshot in
                snapshot.connection == .subscribed && snapshot.reconciled && snapshot.counters.reconciliations > reconciliations + 1
                    && snapshot.services["web"]?.healthyCount == 2
            }
            #expect(after.frameworkID == frameworkID)
            let web = try #require(after.services["web"])
            #expect(Set(web.activeTasks.map(\.taskID)) == taskIDs)
            #expect(after.counters.tasksLaunched == 2)
            #expect(after.counters.tasksKilled == 0)
            await core.shutdown()
        }
    }
}

/// Periodic reconciliation rounds.
@Suite(.serialized) struct PeriodicReconciliationTests {
    @Test func reconcilesPeriodicallyWithoutChangingAnything() async throws {
        try await withDriverCluster(agents: 1, portBase: 48700) { harness in
            let core = try harness.makeCore(reconcileIntervalSeconds: 1)
            await core.start()
            await core.apply(desired(try workload(webManifest(instances: 1))))
            _ = try await waitFor(core, "healthy") { $0.services["web"]?.healthyCount == 1 }
            let rounds: CoreSnapshot = try await waitFor(core, timeout: 20, "three more rounds") { snapshot in
                snapshot.counters.reconciliations >= 4
            }
            let launched = rounds.counters.tasksLaunched
            let killed = rounds.counters.tasksKilled
            let healthy = rounds.services["web"]?.healthyCount ?? 0
            #expect(launched == 1)
            #expect(killed == 0)
            #expect(healthy == 1)
            await core.shutdown()
        }
    }
}
