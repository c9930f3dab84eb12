import Foundation
import Logging
import Mesos

/// Finds the leading Mesos master under a ZooKeeper path (`zk://host:port/mesos`) and follows it: a children
/// watch on the path, the lowest `json.info_` sequence leads, its JSON names `address.ip:address.port`.
/// Survives ZooKeeper trouble: an expired session is replaced (with backoff) and the last leader is kept meanwhile.
public final class ZooKeeperMasterDetector: MasterDetector {
    public let address: ZooKeeperAddress
    let sessionTimeout: Duration
    let logger: Logger
    private let state = Protected(State())
    private var task: Task<Void, Never>? { state.current.task }

    struct State {
        var leader: MasterEndpoint?
        var info: MesosMasterInfo?
        var handlers: [@Sendable (MasterEndpoint?) -> Void] = []
        var task: Task<Void, Never>?
        var stopped = false
    }

    public init(address: ZooKeeperAddress, sessionTimeout: Duration = .seconds(10),
                logger: Logger = Logger(label: "converge.zookeeper")) {
        self.address = address
        self.sessionTimeout = sessionTimeout
        self.logger = logger
    }

    public var leader: MasterEndpoint? { state.current.leader }

    /// The leading master's full record, as last read.
    public var leaderInfo: MesosMasterInfo? { state.current.info }

    public func onLeaderChange(_ handler: @escaping @Sendable (MasterEndpoint?) -> Void) {
        state.withLock { $0.handlers.append(handler) }
    }

    /// Starts watching and waits up to `deadline` for a first leader; throws when none shows up.
    public func start(deadline: Duration = .seconds(30)) async throws -> MasterEndpoint {
        let task = Task { await self.run() }
        state.withLock { $0.task = task }
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        while clock.now < end {
            if let leader { return leader }
            try await Task.sleep(for: .milliseconds(50))
        }
        await stop()
        throw ZooKeeperError.noLeader(address.description, seconds: Double(deadline.components.seconds))
    }

    public func stop() async {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.stopped = true
            return state.task
        }
        task?.cancel()
        await task?.value
    }

    private func run() async {
        var attempt = 0
        let backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(5))
        while !Task.isCancelled {
            do {
                let session = try await ZooKeeperSession.connect(hosts: address.hosts, sessionTimeout: sessionTimeout,
                                                                 deadline: .seconds(15), logger: logger)
                attempt = 0
                await watch(session)
                await session.close()
            } catch {
                logger.warning("Cannot watch the Mesos masters in ZooKeeper", metadata: ["address": "\(address)", "error": "\(error)"])
            }
            if Task.isCancelled { return }
            try? await Task.sleep(for: backoff.delay(attempt: attempt))
            attempt += 1
        }
    }

    /// Lists and re-lists on every children change until the session ends or the task is cancelled.
    private func watch(_ session: ZooKeeperSession) async {
        let events = session.events()
        var iterator = events.makeAsyncIterator()
        // A cancelled reader ends an AsyncStream, which also ends this loop.
        while !Task.isCancelled {
            do {
                try await refresh(session)
            } catch ZooKeeperError.noNode {
                // No master registered yet: wait for the path to appear.
                if (try? await session.exists(address.path, watch: true)) != nil { continue }
            } catch {
                logger.warning("Reading the Mesos masters failed", metadata: ["error": "\(error)"])
                if session.state == .expired { return }
            }
            // Wait for a change under the path, or the end of the session.
            waiting: while true {
                guard let event = await iterator.next() else { return }
                switch event {
                case .childrenChanged(address.path), .created(address.path), .deleted, .dataChanged: break waiting
                case .state(.expired), .state(.closed), .state(.authFailed): return
                case .state(.connected): break waiting  // watches survive reconnects; re-read anyway
                default: continue waiting
                }
            }
        }
    }

    private func refresh(_ session: ZooKeeperSession) async throws {
        let children = try await session.children(address.path, watch: true)
        guard let member = MesosMasterInfo.leadingMember(of: children) else {
            logger.warning("No Mesos master registered in ZooKeeper", metadata: ["address": "\(address)"])
            return
        }
        // A data watch too: the member's node going away also re-lists.
        guard let (data, _) = try await session.get(address.child(member), watch: true) else { return }
        let info: MesosMasterInfo
        do {
            info = try JSONDecoder().decode(MesosMasterInfo.self, from: data)
        } catch {
            logger.error("Unreadable Mesos master record", metadata: ["node": "\(address.child(member))", "error": "\(error)"])
            return
        }
        guard let endpoint = info.endpoint else {
            logger.error("Mesos master record without an address", metadata: ["node": "\(address.child(member))"])
            return
        }
        let handlers = state.withLock { state -> [@Sendable (MasterEndpoint?) -> Void] in
            state.info = info
            guard state.leader != endpoint else { return [] }
            state.leader = endpoint
            return state.handlers
        }
        if !handlers.isEmpty {
            logger.info("Leading Mesos master", metadata: ["master": "\(endpoint)", "node": "\(member)"])
        }
        for handler in handlers { handler(endpoint) }
    }
}
