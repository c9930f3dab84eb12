import CZooKeeper
import Dispatch
import Foundation
import Logging

/// One ZooKeeper session over the C client (`libzookeeper_mt`).
///
/// The C client runs its own I/O and completion threads and calls the global watcher on its completion
/// thread. That watcher only hands events to `SessionEvents` (lock-guarded), which fans them out to
/// `events()` streams. Blocking calls run on a private dispatch queue, never on the Swift concurrency pool.
/// Watches are set with the plain `watch` flag, so they all go to the global watcher: no per-watch
/// context pointer can outlive its owner.
public final class ZooKeeperSession: Sendable {
    public let hosts: String
    let handle: Handle
    let events_: SessionEvents
    let context: Unmanaged<SessionEvents>
    let logger: Logger
    private static let queue = DispatchQueue(label: "converge.zookeeper", attributes: .concurrent)

    /// Connects and waits until the session is established, or throws `connectTimeout` after `deadline`.
    /// `sessionTimeout` is a request: the server clamps it to [2, 20] x its tick (see `negotiatedTimeout`).
    public static func connect(hosts: String, sessionTimeout: Duration = .seconds(10), deadline: Duration = .seconds(15),
                               logger: Logger = Logger(label: "converge.zookeeper")) async throws -> ZooKeeperSession {
        try await connect(hosts: hosts, sessionTimeout: sessionTimeout, deadline: deadline, resuming: nil, logger: logger)
    }

    /// `resuming`: join an existing session (its id and password) from a second handle; closing that
    /// handle ends the session for every handle (how tests expire a session deterministically).
    static func connect(hosts: String, sessionTimeout: Duration, deadline: Duration, resuming: clientid_t?,
                        logger: Logger = Logger(label: "converge.zookeeper")) async throws -> ZooKeeperSession {
        ZooKeeperLogging.quiet()
        let events = SessionEvents()
        let stream = events.subscribe()
        let context = Unmanaged.passRetained(events)
        let timeoutMs = Int32(clamping: sessionTimeout.components.seconds * 1000 + sessionTimeout.components.attoseconds / 1_000_000_000_000_000)
        var clientID = resuming ?? clientid_t()
        let zh = withUnsafePointer(to: &clientID) { id in
            zookeeper_init(hosts, globalWatcher, timeoutMs, resuming == nil ? nil : id, context.toOpaque(), 0)
        }
        guard let zh else {
            context.release()
            throw ZooKeeperError.invalidAddress(hosts, "the C client refused it (errno \(errno))")
        }
        let session = ZooKeeperSession(hosts: hosts, handle: Handle(zh), events: events, context: context, logger: logger)
        let connected = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await event in stream where event == .state(.connected) { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        guard connected else {
            await session.close()
            throw ZooKeeperError.connectTimeout(hosts: hosts, seconds: Double(deadline.components.seconds))
        }
        return session
    }

    private init(hosts: String, handle: Handle, events: SessionEvents, context: Unmanaged<SessionEvents>, logger: Logger) {
        self.hosts = hosts
        self.handle = handle
        self.events_ = events
        self.context = context
        self.logger = logger
    }

    /// The session's id and password, as the C client holds them.
    var clientID: clientid_t? {
        handle.with { zh in zoo_client_id(zh).pointee }
    }

    /// The session timeout the server granted.
    public var negotiatedTimeout: Duration {
        handle.with { zh in .milliseconds(Int(zoo_recv_timeout(zh))) } ?? .zero
    }

    public var state: ZooKeeperSessionState { events_.state }

    /// Session state changes and fired watches from now on, until the session is closed.
    public func events() -> AsyncStream<ZooKeeperEvent> { events_.subscribe() }

    /// Closes the session (its ephemeral nodes go at once). Safe to call twice.
    public func close() async {
        let handle = self.handle
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Self.queue.async {
                // zookeeper_close joins the C client's threads: afterwards no callback can use the context.
                if let zh = handle.take() {
                    zookeeper_close(zh)
                    self.context.release()
                }
                continuation.resume()
            }
        }
        events_.finish()
    }

    /// Runs a blocking C call off the concurrency pool.
    func blocking<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        let handle = self.handle
        return try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(with: Result {
                    guard let result = try handle.with(body) else { throw ZooKeeperError.closed }
                    return result
                })
            }
        }
    }
}

/// The C handle, usable from any thread (the multi-threaded client serializes internally) until taken for close.
final class Handle: @unchecked Sendable {  // @unchecked: `pointer` is read and cleared under `lock` only.
    private let lock = NSLock()
    private var pointer: OpaquePointer?
    private var users = 0
    private let idle = NSCondition()

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    /// Calls `body` with the handle unless it is closed; `take()` waits for calls in flight.
    func with<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T? {
        lock.lock()
        guard let pointer else {
            lock.unlock()
            return nil
        }
        users += 1
        lock.unlock()
        defer {
            lock.lock()
            users -= 1
            lock.unlock()
            idle.lock()
            idle.broadcast()
            idle.unlock()
        }
        return try body(pointer)
    }

    /// Clears the handle once no call uses it; nil when already taken.
    func take() -> OpaquePointer? {
        lock.lock()
        let taken = pointer
        pointer = nil
        lock.unlock()
        guard taken != nil else { return nil }
        idle.lock()
        while (lock.withLock { users }) > 0 { _ = idle.wait(until: Date().addingTimeInterval(0.05)) }
        idle.unlock()
        return taken
    }
}

/// Fans the global watcher's events out to subscribers. Called on the C client's completion thread.
final class SessionEvents: Sendable {
    private struct State {
        var state: ZooKeeperSessionState = .connecting
        var observers: [UUID: AsyncStream<ZooKeeperEvent>.Continuation] = [:]
        var finished = false
    }

    private let guarded = Protected(State())

    var state: ZooKeeperSessionState { guarded.current.state }

    func subscribe() -> AsyncStream<ZooKeeperEvent> {
        let (stream, continuation) = AsyncStream<ZooKeeperEvent>.makeStream(bufferingPolicy: .unbounded)
        let id = UUID()
        let finished = guarded.withLock { state -> Bool in
            if state.finished { return true }
            state.observers[id] = continuation
            return false
        }
        if finished {
            continuation.yield(.state(.closed))
            continuation.finish()
        } else {
            continuation.onTermination = { [weak self] _ in _ = self?.guarded.withLock { $0.observers.removeValue(forKey: id) } }
        }
        return stream
    }

    func deliver(_ event: ZooKeeperEvent) {
        let observers = guarded.withLock { state -> [AsyncStream<ZooKeeperEvent>.Continuation] in
            if case .state(let new) = event {
                // After expiry the C client may still report a reconnect attempt: expiry is final.
                if state.state == .expired || state.state == .closed { return [] }
                state.state = new
            }
            return Array(state.observers.values)
        }
        for observer in observers { observer.yield(event) }
    }

    func finish() {
        let observers = guarded.withLock { state -> [AsyncStream<ZooKeeperEvent>.Continuation] in
            state.finished = true
            if state.state != .expired { state.state = .closed }
            defer { state.observers = [:] }
            return Array(state.observers.values)
        }
        for observer in observers {
            observer.yield(.state(.closed))
            observer.finish()
        }
    }
}

/// The C client's global watcher: maps (type, state, path) to an event for the session in `context`.
private let globalWatcher: watcher_fn = { _, type, state, path, context in
    guard let context else { return }
    let events = Unmanaged<SessionEvents>.fromOpaque(context).takeUnretainedValue()
    let path = path.map { String(cString: $0) } ?? ""
    if type == ZOO_SESSION_EVENT {
        let mapped: ZooKeeperSessionState
        switch state {
        case ZOO_CONNECTED_STATE, ZOO_READONLY_STATE: mapped = .connected
        case ZOO_EXPIRED_SESSION_STATE: mapped = .expired
        case ZOO_AUTH_FAILED_STATE: mapped = .authFailed
        default: mapped = .connecting
        }
        events.deliver(.state(mapped))
    } else if type == ZOO_CREATED_EVENT {
        events.deliver(.created(path))
    } else if type == ZOO_DELETED_EVENT {
        events.deliver(.deleted(path))
    } else if type == ZOO_CHANGED_EVENT {
        events.deliver(.dataChanged(path))
    } else if type == ZOO_CHILD_EVENT {
        events.deliver(.childrenChanged(path))
    }
}

/// The C client logs to stderr at INFO by default; Converge logs what matters itself.
enum ZooKeeperLogging {
    private static let once: Void = { zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR) }()
    static func quiet() { _ = once }
}
