import Foundation
import Logging
import Mesos
import Prometheus
import Scheduler
import Synchronization

/// Where and how deploy notifications are delivered.
public struct NotifierConfiguration: Sendable {
    public var urls: [String]
    /// HMAC-SHA256 key for `X-Converge-Signature-256`; nil: unsigned.
    public var secret: [UInt8]?
    /// Events waiting per receiver; when full the oldest is dropped (counted).
    public var capacity: Int = 1_000
    /// Deliveries in flight per receiver (each service's events still go one at a time, in order).
    public var concurrency: Int = 2
    /// One attempt's time limit.
    public var attemptTimeout: Duration = .seconds(5)
    /// An event not delivered this long after it was queued is given up (counted as failed).
    public var deliveryDeadline: Duration = .seconds(60)
    public var backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(15), multiplier: 2, jitter: 0.5)

    public init(urls: [String], secret: [UInt8]? = nil) {
        self.urls = urls
        self.secret = secret
    }
}

/// Delivers notification events to webhooks without ever making the controller wait: `post` queues and
/// returns; workers deliver over libcurl with retries (exponential backoff with jitter) until a deadline.
/// A dead receiver costs nothing but counters (`converge_notifications_{sent,failed,dropped}_total`).
public final class Notifier: Sendable {
    public static let signatureHeader = "X-Converge-Signature-256"

    public struct Counts: Sendable, Hashable {
        public var sent = 0
        public var failed = 0
        public var dropped = 0
    }

    private struct Receiver: Sendable {
        var queue: NotificationQueue
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private struct State: Sendable {
        var receivers: [Receiver]
        var counts = Counts()
        var translator = NotificationTranslator()
        var stopped = false
        var workers: [Task<Void, Never>] = []
    }

    public let configuration: NotifierConfiguration
    private let state: Mutex<State>
    private let poster: HTTPPoster
    private let logger: Logger
    private let sentCounter: Prometheus.Counter?
    private let failedCounter: Prometheus.Counter?
    private let droppedCounter: Prometheus.Counter?

    public init(configuration: NotifierConfiguration, registry: PrometheusCollectorRegistry? = nil,
                logger: Logger = Logger(label: "converge.notify")) {
        self.configuration = configuration
        self.logger = logger
        poster = HTTPPoster(timeout: configuration.attemptTimeout, maxIdleHandles: max(1, configuration.concurrency) * max(1, configuration.urls.count))
        state = Mutex(State(receivers: configuration.urls.map { _ in Receiver(queue: NotificationQueue(capacity: configuration.capacity)) }))
        sentCounter = registry?.makeCounter(name: "converge_notifications_sent_total", help: "Notifications delivered (2xx), per receiver and event.")
        failedCounter = registry?.makeCounter(name: "converge_notifications_failed_total",
                                              help: "Notifications given up after retries or refused by the receiver (4xx).")
        droppedCounter = registry?.makeCounter(name: "converge_notifications_dropped_total",
                                               help: "Notifications dropped because a receiver's queue was full.")
    }

    public var counts: Counts { state.withLock { $0.counts } }

    /// Starts the delivery workers (idempotent).
    public func start() {
        state.withLock { state in
            guard state.workers.isEmpty, !state.stopped else { return }
            for receiver in configuration.urls.indices {
                for _ in 0..<max(1, configuration.concurrency) {
                    state.workers.append(Task(priority: .background) { [self] in await work(receiver) })
                }
            }
        }
    }

    /// Stops the workers; queued events are dropped (not counted). Waits for deliveries in flight.
    public func stop() async {
        let (workers, waiters) = state.withLock { state in
            state.stopped = true
            let waiters = state.receivers.flatMap(\.waiters)
            for index in state.receivers.indices { state.receivers[index].waiters = [] }
            return (state.workers, waiters)
        }
        for waiter in waiters { waiter.resume() }
        for worker in workers { worker.cancel() }
        for worker in workers { await worker.value }
    }

    /// Queues an event for every receiver; never waits.
    public func post(_ event: NotificationEvent) {
        let body = event.body
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.stopped else { return [] }
            var woken: [CheckedContinuation<Void, Never>] = []
            for index in state.receivers.indices {
                if state.receivers[index].queue.push(event, body: body) {
                    state.counts.dropped += 1
                    droppedCounter?.increment()
                }
                woken += state.receivers[index].waiters
                state.receivers[index].waiters = []
            }
            return woken
        }
        for waiter in waiters { waiter.resume() }
    }

    /// A recorded sync (the controller's `onSync`).
    public func syncRecorded(_ record: SyncRecord) {
        for event in NotificationTranslator.events(for: record, now: Date()) { post(event) }
    }

    /// A change of the scheduler core.
    public func coreChanged(_ change: CoreChange) {
        let events = state.withLock { $0.translator.events(for: change, now: Date()) }
        for event in events { post(event) }
    }

    /// Follows the core's changes until it shuts down or the returned task is cancelled. Subscribes before
    /// it returns, so call it before the core starts to see every change.
    public func follow(_ core: SchedulerCore) async -> Task<Void, Never> {
        let changes = await core.changes()
        return Task(priority: .background) { [self] in
            for await change in changes { coreChanged(change) }
        }
    }

    private func work(_ receiver: Int) async {
        while !Task.isCancelled {
            guard let item = await nextItem(receiver) else { return }
            await deliver(item, to: configuration.urls[receiver])
            state.withLock { $0.receivers[receiver].queue.finish(lane: item.lane) }
            // Another worker may wait for this lane's next event.
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                defer { state.receivers[receiver].waiters = [] }
                return state.receivers[receiver].waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    private func nextItem(_ receiver: Int) async -> NotificationQueue.Item? {
        while true {
            let (item, stopped) = state.withLock { state in
                (state.stopped ? nil : state.receivers[receiver].queue.next(), state.stopped)
            }
            if stopped { return nil }
            if let item { return item }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.stopped || state.receivers[receiver].queue.hasReady { return true }
                    state.receivers[receiver].waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    private func deliver(_ item: NotificationQueue.Item, to url: String) async {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("User-Agent", "converge"), ("X-Converge-Event", item.event.kind.rawValue),
        ]
        if let secret = configuration.secret {
            headers.append((Self.signatureHeader, WebhookSignature.header(body: item.body, secret: secret)))
        }
        let deadline = ContinuousClock.now + configuration.deliveryDeadline
        let body = Data(item.body)
        var attempt = 0
        while !Task.isCancelled {
            var problem: String
            do {
                let response = try await poster.post(url, headers: headers, body: body)
                if (200..<300).contains(response.status) {
                    state.withLock { $0.counts.sent += 1 }
                    sentCounter?.increment()
                    return
                }
                problem = "HTTP \(response.status)"
                if (400..<500).contains(response.status), response.status != 408, response.status != 429 {
                    fail(item, url: url, problem: problem)
                    return
                }
            } catch {
                problem = "\(error)"
            }
            let delay = configuration.backoff.delay(attempt: attempt)
            attempt += 1
            guard ContinuousClock.now + delay < deadline else {
                fail(item, url: url, problem: problem + " after \(attempt) attempts")
                return
            }
            try? await Task.sleep(for: delay)
        }
    }

    private func fail(_ item: NotificationQueue.Item, url: String, problem: String) {
        state.withLock { $0.counts.failed += 1 }
        failedCounter?.increment()
        logger.warning("notification not delivered", metadata: [
            "event": "\(item.event.kind.rawValue)", "service": "\(item.event.service ?? "-")",
            "receiver": "\(Self.describe(url))", "problem": "\(problem)"])
    }

    /// A receiver for logs: scheme, host and port only (webhook URLs carry secrets in their path).
    static func describe(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "(receiver)" }
        return "\(components.scheme ?? "http")://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}
