import Foundation
import Logging
import Manifests
import Mesos

/// The scheduler core: a Mesos framework that makes the cluster run the desired set.
///
/// The actor holds one value (`CoreState`); events, the controller's calls and a timer mutate it and
/// decide synchronously (the pure modules: Placer, DeployStepper, TaskLifecycle, jobs, DecommissionPlanner).
/// Calls to Mesos go out in order through an outbox, off the actor, so the actor never waits on the network.
/// The driver's parts live in `Sources/Scheduler/Driver`.
public actor SchedulerCore {
    public nonisolated let configuration: SchedulerCoreConfiguration
    public nonisolated let store: StateStore

    var state = CoreState()
    var published: CoreSnapshot
    let clientBox = ClientBox()
    var outbox: Outbox?
    var subscriptionLoop: Task<Void, Never>?
    var timerLoop: Task<Void, Never>?
    var subscribers: [UUID: AsyncStream<CoreChange>.Continuation] = [:]
    var needsTick = true
    var nextTickAt = Date.distantPast
    var started = false
    /// Tick timing, for benchmarks: count, total and longest seconds.
    var tickStats = (count: 0, total: 0.0, longest: 0.0)
    var stopped = false

    public init(configuration: SchedulerCoreConfiguration, store: StateStore) {
        self.configuration = configuration
        self.store = store
        let now = Date()
        var initial = CoreState()
        do {
            initial.frameworkID = try store.frameworkID()
            initial.agentStates = try store.agentStates()
            initial.overrides = try store.activeOverrides(now: now)
        } catch {
            configuration.logger.error("Cannot read the state store", metadata: ["error": "\(error)"])
        }
        state = initial
        published = CoreSnapshot(frameworkID: initial.frameworkID, takenAt: now)
    }

    /// Subscribes (with the stored framework id) and runs the event loop in the background; returns at once.
    public func start() {
        guard !started, !stopped else { return }
        started = true
        outbox = Outbox(clientBox: clientBox, logger: configuration.logger) { [weak self] taskIDs, error in
            await self?.launchCallFailed(taskIDs: taskIDs, error: error)
        }
        subscriptionLoop = Task { [weak self] in await self?.runSubscriptions() }
        timerLoop = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                guard let self else { return }
                await self.tickIfDue()
            }
        }
    }

    /// Closes the subscription; tasks keep running (a new core with the same store takes them over).
    public func shutdown() async {
        guard !stopped else { return }
        stopped = true
        timerLoop?.cancel()
        // Send what was decided (acknowledgements, kills) before the subscription closes.
        await outbox?.finish()
        if let client = clientBox.client { await client.close() }
        subscriptionLoop?.cancel()
        await subscriptionLoop?.value
        if let client = clientBox.client { await client.close() }
        flushHistory()
        state.connection = .disconnected(reason: "shut down")
        emit(.connection(state.connection))
        publishSnapshot(now: Date())
        for subscriber in subscribers.values { subscriber.finish() }
        subscribers = [:]
    }

    /// Replaces the desired set (idempotent; the same set twice changes nothing).
    public func apply(_ desired: DesiredState) {
        applyDesired(desired, now: Date())
    }

    public func snapshot() -> CoreSnapshot {
        published
    }

    /// A stream of changes; ends when the core shuts down.
    public func changes() -> AsyncStream<CoreChange> {
        let (stream, continuation) = AsyncStream<CoreChange>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        if stopped {
            continuation.finish()
            return stream
        }
        let id = UUID()
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeSubscriber(id) }
        }
        return stream
    }

    /// Adds or replaces an override (one per service and kind); throws for an unknown service or a value
    /// that does not fit its kind. `bounce` starts a rolling restart of the current deploy.
    public func setOverride(_ override: Override) throws {
        try putOverride(override, now: Date())
    }

    public func removeOverride(service: String, kind: Override.Kind) throws {
        try deleteOverride(service: service, kind: kind)
    }

    /// Starts a run of an OnDemand job with extra arguments and environment; returns the run's task id.
    /// Throws for an unknown service, a service that is not OnDemand, or when `instances` runs are going.
    public func trigger(service: String, arguments: [String] = [], environment: [String: String] = [:]) throws -> String {
        try enqueueTrigger(service: service, arguments: arguments, environment: environment, now: Date())
    }

    func removeSubscriber(_ id: UUID) {
        subscribers[id] = nil
    }

    func emit(_ change: CoreChange) {
        for subscriber in subscribers.values { subscriber.yield(change) }
    }

    func send(_ call: OutboundCall) {
        outbox?.send(call)
    }
}

/// The current Mesos client, shared with the sender task.
final class ClientBox: @unchecked Sendable {
    // Safe: every access to `current` holds `lock`.
    private let lock = NSLock()
    private var current: SchedulerClient?

    var client: SchedulerClient? {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
