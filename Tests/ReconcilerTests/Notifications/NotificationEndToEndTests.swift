import Foundation
import Mesos
import Reconciler
import Scheduler
import Testing

/// Notifications from a controller on a real dev cluster with real processes: what a receiver sees for
/// syncs, a rejected revision, crashing, OOM-killed and lost tasks; a receiver that hangs beside it
/// neither holds back the other receiver nor a sync.
@Suite("Notifications end to end", .serialized)
struct NotificationEndToEndTests {
    @Test func eventsFromRealTasksWhileAnotherReceiverHangs() async throws {
        let harness = try await ControllerHarness.start(agents: 2, portBase: 40900) { config in
            config.memoryCheckInterval = 0.2
        }
        let receiver = try WebhookReceiver()
        let hanging = try WebhookReceiver(mode: "hang")
        defer {
            receiver.stop()
            hanging.stop()
        }
        let secret = Array("e2e-secret".utf8)
        var configuration = NotifierConfiguration(urls: [hanging.url, receiver.url], secret: secret)
        // An attempt to the hanging receiver lasts a minute: anything waiting for it would show.
        configuration.attemptTimeout = .seconds(60)
        configuration.deliveryDeadline = .seconds(300)
        let notifier = Notifier(configuration: configuration)
        notifier.start()
        let controller = try harness.controller(onSync: { record, _ in notifier.syncRecorded(record) })
        let following = await notifier.follow(controller.core)

        let repo = harness.repository
        try repo.write("steady.yaml", workerManifest("steady", instances: 2))
        try repo.write("crasher.yaml", """
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: crasher}
            spec:
              command: "sleep 1; echo boom >&2; exit 3"
              resources: {cpus: 0.1, memoryMb: 32}
            """)
        try repo.write("hog.yaml", """
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: hog}
            spec:
              command: "exec python3 -c 'import time; b = bytearray(256 * 1024 * 1024); time.sleep(600)'"
              resources: {cpus: 0.1, memoryMb: 32}
            """)
        try repo.commit("three services")
        let started = Date()
        let first = await controller.sync(trigger: .api)
        #expect(first.outcome == .progressing || first.outcome == .synced, "\(first)")
        #expect(Date().timeIntervalSince(started) < 30, "the sync waited for a receiver")

        #expect(await eventually(timeout: 60) {
            receiver.events(service: "crasher").contains("task.failed") && receiver.events(service: "hog").contains("task.oomKilled")
                && receiver.events(service: "steady").contains("deploy.succeeded")
        }, "events so far: \(receiver.events())")
        let oom = receiver.deliveries.map(\.json).first { $0["event"] as? String == "task.oomKilled" }
        #expect(oom?["reason"] as? String == "REASON_CONTAINER_LIMITATION_MEMORY")
        #expect((oom?["text"] as? String)?.contains("was OOM-killed on") == true)
        let failed = receiver.deliveries.map(\.json).first { $0["event"] as? String == "task.failed" && $0["service"] as? String == "crasher" }
        #expect(failed?["state"] as? String == "failed")
        #expect(failed?["deployId"] as? String == (await controller.state().desired["crasher"]?.deployId))

        // An agent dies: its steady task is lost with it.
        let victim = try #require(await controller.activeTasks("steady").first)
        let poster = HTTPPoster()
        let stopped = try await poster.post(harness.cluster.masterURL + "/admin/agents/\(victim.agentID)/stop", headers: [], body: Data())
        #expect(stopped.status == 200)
        #expect(await eventually(timeout: 60) {
            receiver.deliveries.map(\.json).contains { $0["event"] as? String == "task.lost" && $0["taskId"] as? String == victim.taskID }
        }, "no task.lost for \(victim.taskID): \(receiver.events(service: "steady"))")

        // A rejected revision, then a good one: both syncs return while a receiver hangs.
        try repo.write("steady.yaml", "apiVersion: converge/v1\nkind: Worker\nmetadata: {name: steady}\nspec: {instances: -1, command: x}\n")
        try repo.commit("broken")
        let rejecting = Date()
        #expect(await controller.sync(trigger: .api).outcome == .rejected)
        try repo.write("steady.yaml", workerManifest("steady", instances: 2, version: "2"))
        try repo.commit("steady v2")
        #expect(await controller.sync(trigger: .api).outcome != .rejected)
        #expect(Date().timeIntervalSince(rejecting) < 30, "the syncs waited for a receiver")
        #expect(await eventually(timeout: 60) { receiver.events().contains("revision.rejected")
            && receiver.events(service: "steady").filter { $0 == "deploy.started" }.count == 2 })

        // Every delivery is signed, once, and each service's events come in order.
        let deliveries = receiver.deliveries
        #expect(deliveries.allSatisfy { WebhookSignature.isValid(header: $0.signature, body: Array($0.body.utf8), secret: secret) })
        let bodies = deliveries.map(\.body)
        #expect(Set(bodies).count == bodies.count, "a delivery came twice")
        let steady = receiver.events(service: "steady")
        #expect(Array(steady.prefix(2)) == ["deploy.started", "deploy.succeeded"], "\(steady)")
        let times = deliveries.map(\.json).filter { $0["service"] as? String == "steady" }.compactMap { $0["time"] as? String }
        #expect(times == times.sorted(), "steady's events out of order: \(times)")
        #expect(hanging.deliveries.isEmpty)
        // The receiver has a delivery a moment before the notifier reads its answer and counts it.
        #expect(await eventually(timeout: 10) { notifier.counts.sent == receiver.deliveries.count },
                "sent \(notifier.counts.sent), received \(receiver.deliveries.count)")

        following.cancel()
        await controller.shutdown()
        // The hanging receiver goes first: a delivery in flight ends with its connection.
        hanging.stop()
        await notifier.stop()
        await harness.stop()
    }
}
