import Foundation
import Reconciler
import Scheduler
import Testing

/// A Service serving /health on its first port, with a canary; `breaksAfter` seconds after start its
/// health endpoint goes away (a canary that starts healthy and then fails its checks).
func canaryServiceManifest(_ name: String, instances: Int, version: String, canary: String, breaksAfter: Int? = nil) -> String {
    let breaking = breaksAfter.map { "(sleep \($0); rm -f www/health) & " } ?? ""
    return """
        apiVersion: converge/v1
        kind: Service
        metadata: {name: \(name)}
        spec:
          instances: \(instances)
          command: >-
            mkdir -p www && echo v\(version) > www/health && \(breaking)
            exec python3 -m http.server --bind 127.0.0.1 --directory www "$PORT0"
          resources: {cpus: 0.1, memoryMb: 64, ports: 1}
          healthCheck:
            http: {path: /health, port: 0}
            intervalSeconds: 1
            timeoutSeconds: 1
            gracePeriodSeconds: 10
            consecutiveFailures: 2
          deploy:
            stepSize: 1
            healthyDeadlineSeconds: 60
            killGraceSeconds: 1
            canary: \(canary)
        """
}

/// Healthy instances of a deploy sampled every 0.2 s while waiting for a condition: the lowest seen.
struct FloorWatch {
    var lowest = Int.max
    var samples = 0

    mutating func wait(timeout: TimeInterval, controller: Controller, service: String, deploy: String,
                       until condition: () async -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            lowest = min(lowest, await controller.healthy(service, deploy: deploy))
            samples += 1
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}

extension Controller {
    func canary(_ service: String) async -> CanaryStatus? {
        await core.snapshot().services[service]?.canary
    }

    func deployEntry(_ service: String, _ deploy: String) async -> DeployHistoryEntry? {
        await core.snapshot().services[service]?.deploys.first { $0.deployID == deploy }
    }
}

/// Canary deploys on a real dev cluster with real processes and a real git repository.
@Suite("Canary deploys end to end", .serialized)
struct CanaryEndToEndTests {
    /// v1 running with 2 healthy instances; returns its deploy id.
    func startV1(_ harness: ControllerHarness, _ controller: Controller, canary: String) async throws -> String {
        try harness.repository.write("web.yaml", canaryServiceManifest("web", instances: 2, version: "1", canary: canary))
        try harness.repository.commit("v1")
        _ = await controller.sync(trigger: .api)
        #expect(await eventually(timeout: 60) { await controller.converged() }, "v1 did not converge")
        #expect(await controller.canary("web") == nil, "a first deploy has no canary")
        return await controller.state().desired["web"]!.deployId
    }

    @Test("promote by hand, across a controller restart, with notifications")
    func promoteByHand() async throws {
        let harness = try await ControllerHarness.start(agents: 2, portBase: 40500)
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let notifier = Notifier(configuration: NotifierConfiguration(urls: [receiver.url], secret: Array("k".utf8)))
        notifier.start()
        let first = try harness.controller(onSync: { record, _ in notifier.syncRecorded(record) })
        var following = await notifier.follow(first.core)
        let canary = "{instances: 1, holdSeconds: 2, autoPromote: false}"
        let v1 = try await startV1(harness, first, canary: canary)

        try harness.repository.write("web.yaml", canaryServiceManifest("web", instances: 2, version: "2", canary: canary))
        try harness.repository.commit("v2")
        _ = await first.sync(trigger: .api)
        let v2 = await first.state().desired["web"]!.deployId
        var watch = FloorWatch()
        let waiting = await watch.wait(timeout: 60, controller: first, service: "web", deploy: v1) {
            await first.canary("web")?.phase == .waitingForPromotion
        }
        let seen = await first.canary("web")
        #expect(waiting, "canary not waiting for promotion: \(String(describing: seen))")
        #expect(watch.lowest >= 2, "old deploy fell to \(watch.lowest) healthy during the canary")
        #expect(await first.healthy("web", deploy: v2) == 1)
        #expect(await first.activeTasks("web").count == 3, "capacity added, not taken")

        // A restart keeps the phase: the new core waits for promotion too, launching and killing nothing.
        following.cancel()
        await first.shutdown()
        let controller = try harness.controller(onSync: { record, _ in notifier.syncRecorded(record) })
        following = await notifier.follow(controller.core)
        _ = await controller.sync(trigger: .api)
        #expect(await eventually(timeout: 30) { await controller.canary("web")?.phase == .waitingForPromotion })
        try await Task.sleep(for: .seconds(2))
        #expect(await controller.canary("web")?.phase == .waitingForPromotion)
        #expect(await controller.activeTasks("web").count == 3)

        let promoted = try await controller.promote(service: "web")
        #expect(promoted.canary?.phase == .promoted)
        var rolling = FloorWatch()
        let done = await rolling.wait(timeout: 90, controller: controller, service: "web", deploy: "") { await controller.converged() }
        #expect(done, "promoted deploy did not converge")
        #expect(rolling.lowest >= 2, "healthy capacity fell to \(rolling.lowest) during the rolling steps")
        #expect(await controller.activeTasks("web").allSatisfy { $0.deployID == v2 })
        #expect(await controller.deployEntry("web", v2)?.outcome == .succeeded)
        do {
            _ = try await controller.promote(service: "web")
            Issue.record("promoting a finished deploy must fail")
        } catch {
            #expect("\(error)".contains("has no canary to decide"))
        }

        #expect(await eventually(timeout: 30) { receiver.events(service: "web").contains("deploy.succeeded") && receiver.events(service: "web").count >= 5 })
        try await Task.sleep(for: .milliseconds(500))
        #expect(receiver.events(service: "web") == ["deploy.started", "deploy.succeeded", "deploy.started", "canary.waitingForPromotion",
                                                     "deploy.succeeded"])
        #expect(receiver.events().filter { $0 == "sync.applied" }.count >= 2)
        let texts = receiver.deliveries.map(\.json).compactMap { $0["text"] as? String }
        let revision = String(await controller.state().appliedRevision!.prefix(12))
        #expect(texts.contains("web: deploy \(v2) started (revision \(revision)), canary first"), "\(texts)")
        following.cancel()
        await controller.shutdown()
        await notifier.stop()
        await harness.stop()
    }

    @Test("auto-promote after the hold")
    func autoPromote() async throws {
        let harness = try await ControllerHarness.start(agents: 2, portBase: 40600)
        let controller = try harness.controller()
        let canary = "{instances: 1, holdSeconds: 2, autoPromote: true}"
        let v1 = try await startV1(harness, controller, canary: canary)
        try harness.repository.write("web.yaml", canaryServiceManifest("web", instances: 2, version: "2", canary: canary))
        try harness.repository.commit("v2")
        _ = await controller.sync(trigger: .api)
        let v2 = await controller.state().desired["web"]!.deployId
        var phases: Set<CanaryPhase> = []
        var lowest = Int.max
        let done = await eventually(timeout: 90) {
            if let phase = await controller.canary("web")?.phase { phases.insert(phase) }
            lowest = min(lowest, await controller.healthy("web"))
            return await controller.converged()
        }
        #expect(done, "auto-promoted deploy did not converge")
        #expect(phases.isSuperset(of: [.holding, .promoted]), "phases seen: \(phases)")
        #expect(!phases.contains(.waitingForPromotion))
        #expect(lowest >= 2)
        #expect(await controller.activeTasks("web").allSatisfy { $0.deployID == v2 })
        #expect(!(await controller.activeTasks("web").contains { $0.deployID == v1 }))
        await controller.shutdown()
        await harness.stop()
    }

    @Test("a canary failing its health check is aborted; the old deploy serves throughout")
    func failingCanaryAborts() async throws {
        let harness = try await ControllerHarness.start(agents: 2, portBase: 40700)
        let controller = try harness.controller()
        let v1 = try await startV1(harness, controller, canary: "{instances: 1, holdSeconds: 60}")
        try harness.repository.write("web.yaml", canaryServiceManifest("web", instances: 2, version: "2", canary: "{instances: 1, holdSeconds: 60}",
                                                                       breaksAfter: 4))
        try harness.repository.commit("v2 breaks")
        _ = await controller.sync(trigger: .api)
        let v2 = await controller.state().desired["web"]!.deployId
        var watch = FloorWatch()
        var sawHolding = false
        let aborted = await watch.wait(timeout: 90, controller: controller, service: "web", deploy: v1) {
            if await controller.canary("web")?.phase == .holding { sawHolding = true }
            return await controller.deployEntry("web", v2)?.outcome == .failed
        }
        #expect(aborted, "the failing canary was not aborted")
        #expect(sawHolding, "the canary never held")
        let entry = await controller.deployEntry("web", v2)
        #expect(entry?.canary?.phase == .aborted)
        #expect(entry?.reason?.hasPrefix("canary aborted: canary ") == true && entry?.reason?.contains("failed its health check") == true,
                "\(entry?.reason ?? "-")")
        // The reason is in the deploy's history in the state store.
        let stored = try StateStore(directory: harness.stateDirectory).deployHistory(service: "web").first { $0.deployID == v2 }
        #expect(stored?.reason == entry?.reason && stored?.canary?.phase == .aborted)
        #expect(await eventually(timeout: 30) { !(await controller.activeTasks("web").contains { $0.deployID == v2 }) })
        var after = FloorWatch()
        _ = await after.wait(timeout: 3, controller: controller, service: "web", deploy: v1) { false }
        #expect(watch.lowest >= 2 && after.lowest >= 2, "old deploy fell to \(min(watch.lowest, after.lowest)) (\(watch.samples) samples)")
        #expect(await controller.healthy("web", deploy: v1) == 2)
        #expect(await controller.canary("web")?.phase == .aborted)
        await controller.shutdown()
        await harness.stop()
    }

    @Test("a commit during the hold supersedes the canary")
    func commitDuringHold() async throws {
        let harness = try await ControllerHarness.start(agents: 2, portBase: 40800)
        let controller = try harness.controller()
        let v1 = try await startV1(harness, controller, canary: "{instances: 1, holdSeconds: 120}")
        try harness.repository.write("web.yaml", canaryServiceManifest("web", instances: 2, version: "2", canary: "{instances: 1, holdSeconds: 120}"))
        try harness.repository.commit("v2")
        _ = await controller.sync(trigger: .api)
        let v2 = await controller.state().desired["web"]!.deployId
        var watch = FloorWatch()
        let held = await watch.wait(timeout: 60, controller: controller, service: "web", deploy: v1) {
            await controller.canary("web")?.phase == .holding
        }
        #expect(held, "v2's canary never held")

        let quick = "{instances: 1, holdSeconds: 1, autoPromote: true}"
        try harness.repository.write("web.yaml", canaryServiceManifest("web", instances: 2, version: "3", canary: quick))
        try harness.repository.commit("v3")
        _ = await controller.sync(trigger: .api)
        let v3 = await controller.state().desired["web"]!.deployId
        var lowest = Int.max
        let done = await eventually(timeout: 90) {
            lowest = min(lowest, await controller.healthy("web"))
            return await controller.converged()
        }
        #expect(done, "v3 did not converge")
        #expect(watch.lowest >= 2 && lowest >= 2)
        #expect(await controller.deployEntry("web", v2)?.outcome == .superseded)
        #expect(await controller.deployEntry("web", v3)?.outcome == .succeeded)
        #expect(await controller.deployEntry("web", v3)?.canary?.phase == .promoted)
        #expect(await controller.activeTasks("web").allSatisfy { $0.deployID == v3 })
        await controller.shutdown()
        await harness.stop()
    }
}
