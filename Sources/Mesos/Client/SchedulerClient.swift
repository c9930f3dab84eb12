import Foundation
import Logging

/// A Mesos v1 scheduler API client: one SUBSCRIBE stream plus calls.
///
/// `subscribe(framework:)` starts a dedicated thread that holds the event stream and re-subscribes
/// (with the framework id from SUBSCRIBED, so tasks survive) when the connection drops, heartbeats
/// stop for `missedHeartbeats` intervals, or the master sends ERROR. "Framework has been removed" and
/// non-retryable HTTP errors (400, 401, 403, ...) end the stream with a `MesosError`.
/// Every SUBSCRIBED event is delivered: after one, outstanding offers are void and the scheduler
/// should reconcile.
///
/// Thread safety: all methods may be called from any thread or task; state is behind a lock.
public final class SchedulerClient: Sendable {
    public let configuration: MesosClientConfiguration
    /// Operator reads against the same masters (shares the leader learned from redirects).
    public let operatorClient: OperatorClient
    let connection: MasterConnection
    private let state = Locked(State())
    private let wake = NSCondition()

    struct State {
        var connection: ConnectionState = .idle
        var frameworkID: FrameworkID?
        var streamID: String?
        var streamEndpoint: MasterEndpoint?
        var started = false
        var cancelled = false
        var finished = false
        var observers: [UUID: AsyncStream<ConnectionState>.Continuation] = [:]
        var finishWaiters: [CheckedContinuation<Void, Never>] = []
    }

    public init(configuration: MesosClientConfiguration) {
        self.configuration = configuration
        self.connection = MasterConnection(configuration: configuration)
        self.operatorClient = OperatorClient(connection: connection)
    }

    /// The framework id (from SUBSCRIBED, or the one given to `subscribe`).
    public var frameworkID: FrameworkID? { state.current.frameworkID }

    /// The current connection state.
    public var connectionState: ConnectionState { state.current.connection }

    /// The stream id of the current subscription, if subscribed.
    public var streamID: String? { state.current.streamID }

    /// The current state, then every change, until the client closes.
    public func connectionStates() -> AsyncStream<ConnectionState> {
        let (stream, continuation) = AsyncStream<ConnectionState>.makeStream(bufferingPolicy: .unbounded)
        let id = UUID()
        let finished = state.withLock { state -> Bool in
            continuation.yield(state.connection)
            if state.finished { return true }
            state.observers[id] = continuation
            return false
        }
        if finished {
            continuation.finish()
        } else {
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.observers.removeValue(forKey: id) }
            }
        }
        return stream
    }

    /// Subscribes and returns the event stream. Call once per client.
    ///
    /// Set `framework.id` to fail over to an existing framework (keeping its tasks).
    public func subscribe(framework: FrameworkInfo) -> AsyncThrowingStream<Event, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Event, any Error>.makeStream(bufferingPolicy: .unbounded)
        let alreadyStarted = state.withLock { state -> Bool in
            if state.started || state.cancelled { return true }
            state.started = true
            if let id = framework.id { state.frameworkID = id }
            return false
        }
        if alreadyStarted {
            continuation.finish(throwing: MesosError.closed)
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.cancel() }
        let thread = Thread { [self] in
            self.runSubscriptionLoop(framework: framework, continuation: continuation)
        }
        thread.name = "mesos-subscription"
        thread.start()
        return stream
    }

    /// Ends the subscription, aborting the stream, and waits for its thread to exit (libcurl's progress
    /// callback sees the flag within about a second; a connect in progress ends by `connectTimeout`).
    public func close() async {
        cancel()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.finished || !state.started { return true }
                state.finishWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func cancel() {
        let notStarted = state.withLock { state -> Bool in
            state.cancelled = true
            return !state.started && !state.finished
        }
        wake.lock()
        wake.broadcast()
        wake.unlock()
        if notStarted { finish(reason: "closed") }
    }

    // MARK: - Calls

    /// Sends a call on the current subscription (adds the framework id and Mesos-Stream-Id).
    /// 503 is retried with backoff; other errors throw `MesosError`.
    public func call(_ call: Call) async throws {
        let (streamID, endpoint, frameworkID, cancelled) = state.withLock {
            ($0.streamID, $0.streamEndpoint, $0.frameworkID, $0.cancelled)
        }
        if cancelled { throw MesosError.closed }
        guard let streamID, let endpoint else { throw MesosError.notSubscribed }
        var call = call
        if call.frameworkID == nil { call.frameworkID = frameworkID }
        let body = try MesosJSON.encode(call)
        _ = try await connection.send(
            method: "POST", path: "/api/v1/scheduler", body: body,
            headers: MasterConnection.jsonHeaders + [("Mesos-Stream-Id", streamID)], pinnedTo: endpoint)
    }

    func requireFrameworkID() throws -> FrameworkID {
        guard let id = frameworkID else { throw MesosError.notSubscribed }
        return id
    }

    // MARK: - The subscription thread

    private func runSubscriptionLoop(framework: FrameworkInfo,
                                     continuation: AsyncThrowingStream<Event, any Error>.Continuation) {
        let logger = configuration.logger
        var attempt = 0
        var redirects = 0
        let isCancelled: @Sendable () -> Bool = { [state] in state.current.cancelled }
        while !isCancelled() {
            let generation = connection.detectedGeneration.current
            let endpoint = connection.currentEndpoint
            var info = framework
            if let id = frameworkID { info.id = id }
            setConnection(.connecting(endpoint))
            var session = SubscriptionSession(
                connection: connection, endpoint: endpoint, frameworkInfo: info, isCancelled: isCancelled,
                onStreamID: { [state] id in
                    state.withLock {
                        $0.streamID = id
                        $0.streamEndpoint = endpoint
                    }
                },
                deliver: { [self] event in
                    if event.type == .subscribed, let id = event.subscribed?.frameworkID {
                        connection.rememberLeader(endpoint)
                        state.withLock { $0.frameworkID = id }
                        setConnection(.subscribed(id, endpoint))
                        logger.info("Subscribed to Mesos", metadata: ["framework": "\(id)", "master": "\(endpoint)"])
                    }
                    continuation.yield(event)
                })
            session.leaderMoved = { [connection] in connection.detectedGeneration.current != generation }
            let outcome = session.run()
            state.withLock {
                $0.streamID = nil
                $0.streamEndpoint = nil
            }
            if outcome.subscribed {
                attempt = 0
                redirects = 0
            }
            let reason: String
            switch outcome.end {
            case .cancelled:
                finish(reason: "closed")
                continuation.finish()
                return
            case .leaderMoved:
                // Straight to the new leader, with the same framework id: no backoff.
                logger.info("Moving the Mesos subscription to the new leader",
                            metadata: ["from": "\(endpoint)", "to": "\(connection.currentEndpoint)"])
                attempt = 0
                setConnection(.reconnecting(attempt: 0, reason: "the leading master changed"))
                continue
            case .redirect(let target):
                redirects += 1
                logger.info("Mesos master redirected SUBSCRIBE", metadata: ["from": "\(endpoint)", "to": "\(target)"])
                connection.rememberLeader(target)
                if redirects <= configuration.maxRedirects { continue }
                redirects = 0
                reason = "more than \(configuration.maxRedirects) redirects"
            case .rejected(let error):
                if error.status == 503 {
                    reason = "\(error)"
                } else {
                    logger.error("Mesos refused SUBSCRIBE", metadata: ["error": "\(error)"])
                    finish(reason: "\(error)")
                    continuation.finish(throwing: error)
                    return
                }
            case .dropped(let message):
                // Could not subscribe here: forget a remembered leader (it may be gone) and try the next
                // configured master, which redirects to the current leader.
                if !outcome.subscribed { connection.rotateMaster() }
                reason = message
            case .errorEvent(let message):
                if message.localizedCaseInsensitiveContains("has been removed") {
                    let error = MesosError.frameworkRemoved(message: message)
                    logger.error("Mesos removed the framework", metadata: ["message": "\(message)"])
                    finish(reason: "\(error)")
                    continuation.finish(throwing: error)
                    return
                }
                reason = "master sent ERROR: \(message)"
            }
            let delay = configuration.reconnectBackoff.delay(attempt: attempt)
            attempt += 1
            logger.warning("Mesos event stream ended; re-subscribing",
                           metadata: ["reason": "\(reason)", "delay": "\(delay)", "attempt": "\(attempt)"])
            setConnection(.reconnecting(attempt: attempt, reason: reason))
            sleep(for: delay)
        }
        finish(reason: "closed")
        continuation.finish()
    }

    /// Sleeps on the subscription thread; `close()` wakes it.
    private func sleep(for delay: Duration) {
        let until = Date().addingTimeInterval(delay.seconds)
        wake.lock()
        defer { wake.unlock() }
        while !state.current.cancelled && Date() < until {
            _ = wake.wait(until: until)
        }
    }

    private func setConnection(_ connection: ConnectionState) {
        let observers = state.withLock { state -> [AsyncStream<ConnectionState>.Continuation] in
            guard !state.finished else { return [] }
            state.connection = connection
            return Array(state.observers.values)
        }
        for observer in observers { observer.yield(connection) }
    }

    private func finish(reason: String) {
        setConnection(.closed(reason: reason))
        let (observers, waiters) = state.withLock { state in
            state.finished = true
            defer {
                state.observers = [:]
                state.finishWaiters = []
            }
            return (Array(state.observers.values), state.finishWaiters)
        }
        for observer in observers { observer.finish() }
        for waiter in waiters { waiter.resume() }
    }
}
