import Foundation
import Mesos
import Scheduler
import Testing
@testable import Reconciler

private func event(_ service: String?, _ n: Int, kind: NotificationEvent.Kind = .deployStarted) -> NotificationEvent {
    NotificationEvent(kind: kind, service: service, deployId: "d\(n)", revision: "abc", time: APIFixtures.epoch,
                      text: "\(service ?? "-") #\(n)", details: [("n", .int(n))])
}

@Suite("Notification queue and events")
struct NotificationQueueTests {
    @Test func lanesKeepOrderAndABusyLaneWaits() {
        var queue = NotificationQueue(capacity: 10)
        queue.push(event("web", 1), body: [])
        queue.push(event("api", 2), body: [])
        queue.push(event("web", 3), body: [])
        let first = queue.next()
        #expect(first?.event.deployId == "d1")
        // web is busy: api's event goes next, then nothing until web is finished.
        let second = queue.next()
        #expect(second?.event.deployId == "d2")
        let third = queue.next()
        #expect(third == nil)
        #expect(!queue.hasReady)
        queue.finish(lane: "web")
        #expect(queue.hasReady)
        let fourth = queue.next()
        #expect(fourth?.event.deployId == "d3")
    }

    @Test func aFullQueueDropsTheOldest() {
        var queue = NotificationQueue(capacity: 2)
        let drops = [queue.push(event("web", 1), body: []), queue.push(event("api", 2), body: []), queue.push(event("web", 3), body: [])]
        #expect(drops == [false, false, true])
        #expect(queue.dropped == 1 && queue.count == 2)
        let first = queue.next()
        queue.finish(lane: "api")
        let second = queue.next()
        #expect(first?.event.deployId == "d2" && second?.event.deployId == "d3")
    }

    /// Random pushes, takes and finishes against a plain model: lanes in order, the oldest dropped when full,
    /// a busy lane skipped, nothing lost or duplicated.
    @Test(arguments: 0..<50)
    func matchesASimpleModel(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &+ 31)
        let capacity = Int.random(in: 1...12, using: &random)
        var queue = NotificationQueue(capacity: capacity)
        var model: [(n: Int, lane: String)] = []
        var busy: Set<String> = []
        var n = 0
        for _ in 0..<400 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                let lane = ["a", "b", "c", "d"].randomElement(using: &random)!
                let droppedOne = queue.push(event(lane, n), body: [])
                if model.count >= capacity {
                    #expect(droppedOne)
                    model.removeFirst()
                } else {
                    #expect(!droppedOne)
                }
                model.append((n, lane))
                n += 1
            case 5..<8:
                let expected = model.firstIndex { !busy.contains($0.lane) }
                let item = queue.next()
                #expect(item?.event.deployId == expected.map { "d\(model[$0].n)" })
                if let expected {
                    busy.insert(model[expected].lane)
                    model.remove(at: expected)
                }
            default:
                if let lane = busy.randomElement(using: &random) {
                    busy.remove(lane)
                    queue.finish(lane: lane)
                }
            }
            #expect(queue.count == model.count)
            #expect(queue.hasReady == model.contains { !busy.contains($0.lane) })
        }
    }

    @Test func deployChangesTurnIntoEventsOnce() {
        var translator = NotificationTranslator()
        let now = APIFixtures.epoch
        var entry = DeployHistoryEntry(service: "web", deployID: "d2", revision: "0123456789abcdef", startedAt: now, outcome: .inProgress,
                                       canary: CanaryState(phase: .starting))
        #expect(translator.events(for: .deploy(entry), now: now).map(\.kind) == [.deployStarted])
        #expect(translator.events(for: .deploy(entry), now: now).isEmpty, "the same entry again is no news")
        entry.canary?.phase = .holding
        #expect(translator.events(for: .deploy(entry), now: now).isEmpty)
        entry.canary?.phase = .waitingForPromotion
        let waiting = translator.events(for: .deploy(entry), now: now)
        #expect(waiting.map(\.kind) == [.canaryWaiting])
        #expect(waiting.first?.text == "web: the canary of deploy d2 held healthy; waiting for `converge promote web` or `converge abort web`")
        entry.canary?.phase = .aborted
        entry.outcome = .failed
        entry.reason = "canary aborted: aborted by hand"
        let failed = translator.events(for: .deploy(entry), now: now)
        #expect(failed.map(\.kind) == [.deployFailed])
        #expect(failed.first?.json.rendered() == """
            {"event":"deploy.failed","service":"web","deployId":"d2","revision":"0123456789abcdef","time":"2026-09-21T14:13:20.000Z",\
            "text":"web: deploy d2 failed: canary aborted: aborted by hand","reason":"canary aborted: aborted by hand","canary":"aborted"}

            """)
    }

    @Test func tasksEndingOnTheirOwnAreReported() {
        var translator = NotificationTranslator()
        let now = APIFixtures.epoch
        var failed = APIFixtures.task("web", 0, deploy: "d1", state: .failed, healthy: false)
        failed.lastMessage = "exit status 2"
        #expect(translator.events(for: .task(failed), now: now).map(\.text) == ["web: task web-0-d1 failed on agent-1: exit status 2"])
        #expect(translator.events(for: .task(failed), now: now).isEmpty, "reported once")
        var oom = APIFixtures.task("web", 1, deploy: "d1", state: .failed, healthy: false)
        oom.lastReason = "REASON_CONTAINER_LIMITATION_MEMORY"
        #expect(translator.events(for: .task(oom), now: now).map(\.kind) == [.taskOOMKilled])
        let lost = APIFixtures.task("web", 2, deploy: "d1", state: .lost, healthy: false)
        let lostEvents = translator.events(for: .task(lost), now: now)
        #expect(lostEvents.map(\.kind) == [.taskLost])
        #expect(lostEvents.first?.text == "web: task web-2-d1 lost with its agent agent-1")
        var killed = APIFixtures.task("web", 3, deploy: "d1", state: .killed, healthy: false)
        killed.killRequestedAt = now
        #expect(translator.events(for: .task(killed), now: now).isEmpty, "a kill we asked for is no failure")
        #expect(translator.events(for: .task(APIFixtures.task("web", 4, deploy: "d1")), now: now).isEmpty)
    }

    @Test func syncsAppliedAndRejected() {
        let applied = SyncRecord(id: 3, revision: "0123456789abcdef", trigger: .webhook, startedAt: APIFixtures.epoch, outcome: .progressing,
                                 message: "1 to deploy")
        #expect(NotificationTranslator.events(for: applied, now: APIFixtures.epoch).map(\.text) == ["Converge applied revision 0123456789ab: 1 to deploy"])
        let rejected = SyncRecord(id: 4, revision: "fedcba9876543210", trigger: .poll, startedAt: APIFixtures.epoch, outcome: .rejected,
                                  message: "revision fedcba987654 rejected: 1 invalid manifest", errors: ["web.yaml:3:1: spec: bad"])
        let events = NotificationTranslator.events(for: rejected, now: APIFixtures.epoch)
        #expect(events.map(\.kind) == [.revisionRejected])
        #expect(events.first?.json.rendered().contains(#""errors":["web.yaml:3:1: spec: bad"]"#) == true)
        #expect(NotificationTranslator.events(for: SyncRecord(id: 5, revision: nil, trigger: .poll, startedAt: APIFixtures.epoch,
                                                              outcome: .failed, message: "x"), now: APIFixtures.epoch).isEmpty)
    }
}

@Suite("Notifier delivery over HTTP", .serialized)
struct NotifierDeliveryTests {
    @Test func aReceiverSeesEachEventOnceInOrderPerServiceSigned() async throws {
        let receiver = try WebhookReceiver(mode: "flaky")
        defer { receiver.stop() }
        let secret = Array("n0tify-s3cret".utf8)
        var configuration = NotifierConfiguration(urls: [receiver.url], secret: secret)
        configuration.backoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(200))
        configuration.concurrency = 3
        let metrics = ControllerMetrics()
        let notifier = Notifier(configuration: configuration, registry: metrics.registry)
        notifier.start()
        let services = ["web", "api", "queue"]
        for n in 0..<15 {
            for service in services { notifier.post(event(service, n)) }
        }
        notifier.post(event(nil, 99, kind: .syncApplied))
        let delivered = await eventually(timeout: 60) { receiver.deliveries.count >= 46 }
        #expect(delivered, "delivered \(receiver.deliveries.count) of 46")
        try await Task.sleep(for: .milliseconds(300))
        let deliveries = receiver.deliveries
        #expect(deliveries.count == 46, "each event once")
        for delivery in deliveries {
            #expect(WebhookSignature.isValid(header: delivery.signature, body: Array(delivery.body.utf8), secret: secret),
                    "bad signature on \(delivery.body)")
            #expect(delivery.event == delivery.json["event"] as? String)
        }
        for service in services {
            let order = deliveries.map(\.json).filter { $0["service"] as? String == service }.compactMap { $0["n"] as? Int }
            #expect(order == Array(0..<15), "\(service) out of order: \(order)")
        }
        #expect(notifier.counts == Notifier.Counts(sent: 46, failed: 0, dropped: 0))
        let exposition = metrics.exposition(for: APIFixtures.state(), now: APIFixtures.epoch)
        #expect(exposition.contains("converge_notifications_sent_total 46"))
        await notifier.stop()
    }

    @Test func deadReceiversCostOnlyCounters() async throws {
        let hanging = try WebhookReceiver(mode: "hang")
        defer { hanging.stop() }
        var configuration = NotifierConfiguration(urls: [hanging.url, "http://127.0.0.1:\(WebhookReceiver.closedPort())/hook"],
                                                  secret: Array("s".utf8))
        configuration.capacity = 50
        configuration.attemptTimeout = .milliseconds(300)
        configuration.deliveryDeadline = .seconds(1)
        configuration.backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(200))
        let metrics = ControllerMetrics()
        let notifier = Notifier(configuration: configuration, registry: metrics.registry)
        notifier.start()
        // Posting never waits for a receiver: 500 events (10 per service) into queues of 50.
        let clock = ContinuousClock.now
        for n in 0..<500 { notifier.post(event("svc-\(n % 50)", n)) }
        let posting = ContinuousClock.now - clock
        #expect(posting < .seconds(2), "posting 500 events took \(posting)")
        #expect(await eventually(timeout: 30) { notifier.counts.failed >= 4 }, "\(notifier.counts)")
        let counts = notifier.counts
        #expect(counts.sent == 0)
        #expect(counts.dropped >= 2 * (500 - 50) - 8, "\(counts)")
        let exposition = metrics.exposition(for: APIFixtures.state(), now: APIFixtures.epoch)
        #expect(exposition.contains("converge_notifications_dropped_total \(counts.dropped)\n"))
        #expect(exposition.contains("converge_notifications_failed_total"))
        await notifier.stop()
    }
}
