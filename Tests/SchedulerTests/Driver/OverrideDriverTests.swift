import DevCluster
import Foundation
import Manifests
import Mesos
import Testing
@testable import Scheduler

/// Overrides (expiring scale, pause, bounce), unclaimed tasks after a restart, and partitions.
@Suite(.serialized) struct OverrideDriverTests {
    @Test func scalePauseAndBounceOverridesTakeEffectAndExpire() async throws {
        try await withDriverCluster(portBase: 48000) { harness in
            let core = try harness.makeCore()
            await core.start()
            let web = try workload(webManifest(instances: 2))
            await core.apply(desired(web))
            try await waitFor(core, "2 healthy") { $0.services["web"]?.deploys.first?.outcome == .succeeded && $0.services["web"]?.healthyCount == 2 }

            // Refused overrides.
            await #expect(throws: SchedulerCoreError.self) {
                try await core.setOverride(Override(service: "nope", kind: .pause, reason: "t", createdAt: Date(), expiresAt: nil))
            }
            await #expect(throws: SchedulerCoreError.self) {
                try await core.setOverride(Override(service: "web", kind: .scale, reason: "t", createdAt: Date(), expiresAt: nil))
            }

            // An expiring scale override: 3 instances, then back to 2 on its own.
            try await core.setOverride(Override(service: "web", kind: .scale, value: 3, reason: "load test", createdAt: Date(),
                                                expiresAt: Date().addingTimeInterval(6)))
            let scaled = try await waitFor(core, "3 healthy") { $0.services["web"]?.healthyCount == 3 }
            #expect(scaled.services["web"]?.effectiveInstances == 3)
            #expect(scaled.services["web"]?.overrides.map(\.kind) == [.scale])
            let back = try await waitFor(core, timeout: 30, "back to 2 after expiry") { snapshot in
                guard let web = snapshot.services["web"] else { return false }
                return web.overrides.isEmpty && web.tasks.filter { !$0.state.isTerminal }.count == 2
            }
            #expect(Set(back.services["web"]!.activeTasks.map(\.slot.instance)) == [0, 1])
            #expect(try harness.openStore().activeOverrides(now: Date()).isEmpty)

            // Pause: nothing runs; resume: two again.
            try await core.setOverride(Override(service: "web", kind: .pause, reason: "maintenance", createdAt: Date(), expiresAt: nil))
            try await waitFor(core, "paused") { snapshot in
                snapshot.services["web"].map { $0.isPaused && $0.tasks.allSatisfy { $0.state.isTerminal } } ?? false
            }
            try await core.removeOverride(service: "web", kind: .pause)
            let resumed = try await waitFor(core, "resumed") { $0.services["web"]?.healthyCount == 2 }
            let beforeBounce = Set(resumed.services["web"]!.activeTasks.map(\.taskID))

            // Bounce: a rolling restart as a new deploy of the same template, never below the floor.
            let sampler = CapacitySampler()
            await sampler.start(core, service: "web")
            try await core.setOverride(Override(service: "web", kind: .bounce, reason: "restart", createdAt: Date(), expiresAt: nil))
            let bounced = try await waitFor(core, timeout: 60, "bounce done") { snapshot in
                guard let web = snapshot.services["web"] else { return false }
                return web.currentDeployID.hasPrefix("\(web.workload.deployId)-b") && web.deploys.first?.outcome == .succeeded
                    && web.tasks.filter { !$0.state.isTerminal }.count == 2
            }
            let (minimum, _) = await sampler.stop()
            #expect(minimum >= 2, "healthy capacity dropped to \(minimum) during the bounce")
            let bounceID = try #require(bounced.services["web"]).currentDeployID
            #expect(Set(bounced.services["web"]!.activeTasks.map(\.taskID)).isDisjoint(with: beforeBounce))
            // Removing the bounce override does not restart again.
            try await core.removeOverride(service: "web", kind: .bounce)
            try await Task.sleep(for: .seconds(1.5))
            let after = try #require(await core.snapshot().services["web"])
            #expect(after.currentDeployID == bounceID)
            #expect(after.active(deploy: bounceID).count == 2)
            await core.shutdown()
        }
    }

    @Test func unclaimedTasksAreKilledOnlyAfterTheDesiredSetArrives() async throws {
        try await withDriverCluster(portBase: 48100) { harness in
            let first = try harness.makeCore()
            await first.start()
            let web = try workload(webManifest(name: "web", instances: 1))
            let extra = try workload(webManifest(name: "extra", instances: 2))
            await first.apply(desired(web, extra))
            try await waitFor(first, "both healthy") { $0.services["web"]?.healthyCount == 1 && $0.services["extra"]?.healthyCount == 2 }
            await first.shutdown()

            let second = try harness.makeCore()
            await second.start()
            try await waitFor(second, "reconciled") { $0.reconciled && $0.unclaimedTasks.count == 3 }
            try await Task.sleep(for: .seconds(1))
            let waiting = await second.snapshot()
            #expect(waiting.unclaimedTasks.count == 3, "no desired set yet: nothing is killed")
            #expect(waiting.unclaimedTasks.allSatisfy { $0.isActive })
            #expect(waiting.counters.tasksKilled == 0)

            await second.apply(desired(web))
            let cleaned = try await waitFor(second, timeout: 30, "extra's tasks gone") { $0.unclaimedTasks.isEmpty }
            #expect(cleaned.counters.tasksKilled == 2)
            #expect(cleaned.counters.tasksLaunched == 0)
            #expect(cleaned.services["web"]?.healthyCount == 1)
            let history = try harness.openStore().taskHistory(service: "extra")
            #expect(history.filter { $0.killReason == .serviceRemoved && $0.state == .killed }.count == 2)
            await second.shutdown()
        }
    }

    @Test func taskBackFromAPartitionIsKilledOnceItsReplacementIsHealthy() async throws {
        try await withDriverCluster(agents: 3, portBase: 48200, configure: { $0.agentReregisterTimeout = 1 }) { harness in
            let core = try harness.makeCore()
            await core.start()
            await core.apply(desired(try workload(webManifest(instances: 2, spread: "separateHosts"))))
            let running = try await waitFor(core, "2 healthy") { $0.services["web"]?.healthyCount == 2 }
            let victim = try #require(running.services["web"]?.activeTasks.first)
            #expect(try await adminPost(harness.cluster, "/admin/agents/\(victim.agentID)/partition") == 200)
            try await waitFor(core, timeout: 30, "replacement healthy") { snapshot in
                guard let web = snapshot.services["web"] else { return false }
                return web.tasks.first { $0.taskID == victim.taskID }?.state == .unreachable
                    && web.activeTasks.filter { $0.slot == victim.slot && $0.isHealthy }.count == 1
            }
            #expect(try await adminPost(harness.cluster, "/admin/agents/\(victim.agentID)/heal") == 200)
            let healed = try await waitFor(core, timeout: 30, "the returned task killed") { snapshot in
                snapshot.services["web"]?.tasks.first { $0.taskID == victim.taskID }?.state == .killed
            }
            let web = try #require(healed.services["web"])
            #expect(web.healthyCount == 2)
            #expect(web.activeTasks.filter { $0.slot == victim.slot }.count == 1)
            let history = try harness.openStore().taskHistory(service: "web")
            #expect(history.first { $0.taskID == victim.taskID }?.killReason == .duplicateInSlot)
            await core.shutdown()
        }
    }
}

extension OverrideDriverTests {
    @Test func skipHealthChecksCountsRunningTasksHealthy() async throws {
        try await withDriverCluster(agents: 2, portBase: 48800) { harness in
            let core = try harness.makeCore()
            await core.start()
            // The check can never pass (no such path) and its grace period is long: only the override helps.
            let web = try workload(webManifest(instances: 2, healthPath: "/missing"))
            await core.apply(desired(web))
            try await waitFor(core, "running, not healthy") { snapshot in
                snapshot.services["web"].map { $0.runningCount == 2 && $0.healthyCount == 0 } ?? false
            }
            try await core.setOverride(Override(service: "web", kind: .skipHealthChecks, reason: "checks broken", createdAt: Date(), expiresAt: nil))
            let healthy = try await waitFor(core, "deploy succeeded with the override") { snapshot in
                snapshot.services["web"].map { $0.healthyCount == 2 && $0.deploys.first?.outcome == .succeeded } ?? false
            }
            #expect(healthy.services["web"]?.deployStatus == .succeeded)
            await core.shutdown()
        }
    }
}
