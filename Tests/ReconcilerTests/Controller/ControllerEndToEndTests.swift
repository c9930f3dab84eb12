import Foundation
import Reconciler
import Scheduler
import Testing

/// The controller on a real dev cluster with real processes and real git repositories.
@Suite("Controller end to end", .serialized)
struct ControllerEndToEndTests {
    @Test("create, scale, rolling deploy gated on HTTP health, delete")
    func lifecycle() async throws {
        let harness = try await ControllerHarness.start(agents: 2, portBase: 49000)
        let repo = harness.repository
        try repo.write("web.yaml", httpServiceManifest("web", instances: 2))
        try repo.write("worker.yaml", workerManifest("worker", instances: 1))
        try repo.write("cron.yaml", workerManifest("queue", instances: 1))
        try repo.commit("create")
        let controller = try harness.controller()

        let first = await controller.sync(trigger: .api)
        #expect(first.outcome == .progressing || first.outcome == .synced, "\(first)")
        #expect(first.summary?.create == 3)
        #expect(await eventually(timeout: 60) { await controller.converged() }, "not converged after create")
        #expect(await controller.healthy("web") == 2)

        // Scale: no restart of the running instances.
        let before = Set(await controller.activeTasks("web").map(\.taskID))
        try repo.write("web.yaml", httpServiceManifest("web", instances: 3))
        try repo.commit("scale")
        let scale = await controller.sync(trigger: .api)
        #expect(scale.summary?.scale == 1, "\(scale)")
        #expect(await eventually(timeout: 60) { await controller.converged() })
        let after = Set(await controller.activeTasks("web").map(\.taskID))
        #expect(after.count == 3 && before.isSubset(of: after), "scaling restarted instances: \(before) -> \(after)")

        // Rolling deploy: healthy capacity never drops below 3 while the new template rolls out.
        try repo.write("web.yaml", httpServiceManifest("web", instances: 3, version: "2"))
        try repo.commit("deploy")
        let deploy = await controller.sync(trigger: .api)
        #expect(deploy.summary?.deploy == 1, "\(deploy)")
        var lowest = Int.max
        let rolled = await eventually(timeout: 90) {
            lowest = min(lowest, await controller.healthy("web"))
            return await controller.converged()
        }
        #expect(rolled, "rolling deploy did not converge")
        #expect(lowest >= 3, "healthy capacity dropped to \(lowest) during the rolling deploy")
        let deployID = await controller.state().desired["web"]!.deployId
        #expect(await controller.activeTasks("web").allSatisfy { $0.deployID == deployID })

        // Delete one service of three (within the prune limit for one delete).
        try repo.git("rm", "-q", "cron.yaml")
        try repo.commit("delete")
        let delete = await controller.sync(trigger: .api)
        #expect(delete.summary?.delete == 1, "\(delete)")
        #expect(await eventually(timeout: 30) { await controller.activeTasks("queue").isEmpty })
        #expect(await eventually(timeout: 30) { await controller.converged() })
        let history = await controller.state().history
        #expect(history.count >= 4 && history.first?.summary?.delete == 1)

        await controller.shutdown()
        await harness.stop()
    }

    @Test("an invalid commit is rejected whole; the old services stay healthy; an unreachable remote changes nothing")
    func badInput() async throws {
        let harness = try await ControllerHarness.start(agents: 1, portBase: 49100)
        let remote = harness.repository
        try remote.write("a.yaml", workerManifest("alpha", instances: 2))
        try remote.commit("good")
        // Follow the repository as a file:// remote (cloned into the cache), so that it can become unreachable.
        let controller = try harness.controller(repository: "file://" + remote.path)
        _ = await controller.sync(trigger: .api)
        #expect(await eventually(timeout: 60) { await controller.converged() })
        let running = Set(await controller.activeTasks("alpha").map(\.taskID))
        let good = await controller.state().appliedRevision

        try remote.write("a.yaml", workerManifest("alpha", instances: 5, extra: "  instance: 3"))
        try remote.write("b.yaml", workerManifest("beta", instances: 1))
        let bad = try remote.commit("bad")
        let rejected = await controller.sync(trigger: .api)
        #expect(rejected.outcome == .rejected)
        #expect(rejected.revision == bad)
        #expect(rejected.errors.contains { $0.contains("a.yaml") && $0.contains("spec.instance") }, "\(rejected.errors)")
        let state = await controller.state()
        #expect(state.appliedRevision == good && state.latestRevision == bad)
        try await Task.sleep(for: .seconds(2))
        #expect(Set(await controller.activeTasks("alpha").map(\.taskID)) == running)
        #expect(await controller.healthy("alpha") == 2)
        #expect(await controller.activeTasks("beta").isEmpty)

        try FileManager.default.removeItem(atPath: remote.path + "/.git")
        let failed = await controller.sync(trigger: .api)
        #expect(failed.outcome == .failed, "\(failed)")
        #expect(await controller.state().fetchErrors == 1)
        #expect(Set(await controller.activeTasks("alpha").map(\.taskID)) == running)

        await controller.shutdown()
        await harness.stop()
    }

    @Test("the mass-delete guard refuses deleting most services unless allowed")
    func massDelete() async throws {
        let harness = try await ControllerHarness.start(agents: 1, portBase: 49200)
        let repo = harness.repository
        for name in ["a", "b", "c"] { try repo.write("\(name).yaml", workerManifest(name, instances: 1)) }
        try repo.commit("three")
        let controller = try harness.controller()
        _ = await controller.sync(trigger: .api)
        #expect(await eventually(timeout: 60) { await controller.converged() })

        try repo.git("rm", "-q", "a.yaml", "b.yaml")
        try repo.commit("delete two of three")
        let refused = await controller.sync(trigger: .api)
        #expect(refused.outcome == .refused, "\(refused)")
        #expect(refused.message.contains("2 of 3"))
        try await Task.sleep(for: .seconds(1))
        let aTasks = await controller.activeTasks("a"), bTasks = await controller.activeTasks("b")
        #expect(aTasks.count == 1 && bTasks.count == 1)
        await controller.shutdown()

        // The same commit with mass deletes allowed (a new controller on the same state: a restart).
        let allowing = try harness.controller(allowMassDelete: true)
        let applied = await allowing.sync(trigger: .api)
        #expect(applied.outcome == .progressing || applied.outcome == .synced, "\(applied)")
        #expect(await eventually(timeout: 30) {
            let gone = await allowing.activeTasks("a").isEmpty
            let unclaimed = await allowing.core.snapshot().unclaimedTasks
            return gone && unclaimed.isEmpty
        })
        #expect(await eventually(timeout: 30) { await allowing.converged() })
        #expect(await allowing.activeTasks("c").count == 1)
        await allowing.shutdown()
        await harness.stop()
    }

    @Test("a controller killed mid-deploy and restarted launches no duplicate and converges")
    func restartMidDeploy() async throws {
        let harness = try await ControllerHarness.start(agents: 2, portBase: 49300)
        let repo = harness.repository
        try repo.write("web.yaml", httpServiceManifest("web", instances: 3))
        try repo.commit("v1")
        let first = try harness.controller()
        _ = await first.sync(trigger: .api)
        #expect(await eventually(timeout: 60) { await first.converged() })

        try repo.write("web.yaml", httpServiceManifest("web", instances: 3, version: "2"))
        try repo.commit("v2")
        _ = await first.sync(trigger: .api)
        #expect(await eventually(timeout: 30) { await first.activeTasks("web").count > 3 })
        await first.shutdown()

        let second = try harness.controller()
        let runner = Task { await second.run() }
        var maxPerSlot = 0
        let converged = await eventually(timeout: 90) {
            let active = await second.activeTasks("web")
            let deploy = await second.state().desired["web"]?.deployId
            let perSlot = Dictionary(grouping: active.filter { $0.deployID == deploy }, by: \.slot.instance).values.map(\.count).max() ?? 0
            maxPerSlot = max(maxPerSlot, perSlot)
            return await second.converged()
        }
        #expect(converged)
        #expect(maxPerSlot <= 1, "a slot ran two tasks of the new deploy (a duplicate launch)")
        #expect(await second.activeTasks("web").count == 3)
        runner.cancel()
        await runner.value
        await second.shutdown()
        await harness.stop()
    }

    @Test("an agent decommissioned through a Maintenance commit loses no healthy capacity")
    func decommission() async throws {
        let harness = try await ControllerHarness.start(agents: 3, portBase: 49400)
        let repo = harness.repository
        try repo.write("web.yaml", httpServiceManifest("web", instances: 3))
        try repo.commit("web")
        let controller = try harness.controller()
        _ = await controller.sync(trigger: .api)
        #expect(await eventually(timeout: 60) { await controller.converged() })
        let busiest = Dictionary(grouping: await controller.activeTasks("web"), by: \.hostname).max { $0.value.count < $1.value.count }!.key

        try repo.write("maintenance.yaml", """
            apiVersion: converge/v1
            kind: Maintenance
            metadata: {name: drain}
            spec:
              decommission:
                - hostname: \(busiest)
            """)
        try repo.commit("drain \(busiest)")
        let sync = await controller.sync(trigger: .api)
        #expect(sync.summary?.decommission == 1, "\(sync)")
        var lowest = Int.max
        let drained = await eventually(timeout: 90) {
            lowest = min(lowest, await controller.healthy("web"))
            return await controller.converged()
        }
        #expect(drained, "agent not decommissioned")
        #expect(lowest >= 3, "healthy capacity dropped to \(lowest) while draining")
        #expect(await controller.activeTasks("web").allSatisfy { $0.hostname != busiest })
        let agents = await controller.core.snapshot().agents.values
        #expect(agents.contains { $0.hostname == busiest && $0.state == .decommissioned })
        await controller.shutdown()
        await harness.stop()
    }

    @Test("a scale override shows as drift and falls back to git when it expires")
    func overrideExpiry() async throws {
        let harness = try await ControllerHarness.start(agents: 1, portBase: 49500)
        let repo = harness.repository
        try repo.write("w.yaml", workerManifest("w", instances: 1))
        try repo.write("x.yaml", workerManifest("x", instances: 1))
        try repo.commit("w")
        let controller = try harness.controller()
        let runner = Task { await controller.run() }
        #expect(await eventually(timeout: 60) { await controller.converged() })

        try await controller.setOverride(Override(service: "w", kind: .scale, value: 3, reason: "test", createdAt: Date(),
                                                  expiresAt: Date().addingTimeInterval(6)))
        #expect(await eventually(timeout: 20) { await controller.healthy("w") == 3 })
        let drift = await controller.state().plan
        #expect(drift.scales.map(\.name) == ["w"], "override not shown as drift: \(drift.summary)")
        #expect(await eventually(timeout: 30) {
            let count = await controller.activeTasks("w").count
            let plan = await controller.state().plan
            return count == 1 && plan.isEmpty
        }, "override did not expire back to git")
        runner.cancel()
        await runner.value
        await controller.shutdown()
        await harness.stop()
    }
}
