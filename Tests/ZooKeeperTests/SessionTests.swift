import Foundation
import Testing
@testable import ZooKeeper

@Suite("ZooKeeper session", .serialized)
struct SessionTests {
    @Test("create, get, set, children, delete and watches against a real server")
    func basics() async throws {
        let server = try ZooKeeperServer()
        defer { server.stop() }
        let session = try await ZooKeeperSession.connect(hosts: server.hosts, sessionTimeout: .seconds(4))
        #expect(session.state == .connected)
        #expect(session.negotiatedTimeout == .seconds(4))
        let events = EventRecorder(session.events())

        try await session.ensurePath("/converge/test")
        try await session.ensurePath("/converge/test")  // idempotent
        let first = try await session.create("/converge/test/member_", data: Data("a".utf8), mode: .ephemeralSequential)
        let second = try await session.create("/converge/test/member_", data: Data("b".utf8), mode: .ephemeralSequential)
        #expect(first == "/converge/test/member_0000000000")
        #expect(second == "/converge/test/member_0000000001")
        #expect(try await session.children("/converge/test").sorted() == ["member_0000000000", "member_0000000001"])
        let got = try #require(try await session.get(first))
        #expect(got.data == Data("a".utf8))
        #expect(got.stat.ephemeralOwner != 0)
        #expect(try await session.get("/converge/none") == nil)
        await #expect(throws: ZooKeeperError.nodeExists("/converge/test")) { try await session.create("/converge/test") }
        await #expect(throws: ZooKeeperError.noNode("/converge/none")) { try await session.children("/converge/none") }

        // Large data round-trips (more than the first 64 KiB read buffer).
        let big = Data((0..<300_000).map { UInt8($0 % 251) })
        try await session.put("/converge/state/big", data: big)
        #expect(try await session.get("/converge/state/big")?.data == big)

        // Watches arrive as events.
        _ = try await session.children("/converge/test", watch: true)
        _ = try await session.get(first, watch: true)
        try await session.set(first, data: Data("a2".utf8))
        #expect(try await events.next(matching: { $0 == .dataChanged(first) }) != nil)
        try await session.delete(second)
        #expect(try await events.next(matching: { $0 == .childrenChanged("/converge/test") }) != nil)
        #expect(try await session.exists("/converge/later", watch: true) == nil)
        try await session.create("/converge/later")
        #expect(try await events.next(matching: { $0 == .created("/converge/later") }) != nil)
        #expect(try await session.delete("/converge/later"))
        #expect(try await session.delete("/converge/later") == false)

        await session.close()
        #expect(session.state == .closed)
        await #expect(throws: ZooKeeperError.closed) { try await session.children("/") }

        // Closing removed the session's ephemeral nodes at once.
        let other = try await ZooKeeperSession.connect(hosts: server.hosts)
        #expect(try await other.children("/converge/test") == [])
        await other.close()
    }

    @Test("the session expires when the server ends it: reported as an event and an error")
    func expiry() async throws {
        let server = try ZooKeeperServer()
        defer { server.stop() }
        let session = try await ZooKeeperSession.connect(hosts: server.hosts, sessionTimeout: .seconds(4))
        let events = EventRecorder(session.events())
        let node = try await session.create("/owned", mode: .ephemeral)
        // Expire it from the server's side: a second handle joins the session and closes it (the server
        // ends the session for every handle; the first learns it when it next talks to the server).
        let clientID = try #require(session.clientID)
        let twin = try await ZooKeeperSession.connect(hosts: server.hosts, sessionTimeout: .seconds(4), deadline: .seconds(15),
                                                      resuming: clientID)
        await twin.close()
        #expect(try await events.next(within: 30, matching: { $0 == .state(.expired) }) != nil)
        #expect(session.state == .expired)
        await #expect(throws: ZooKeeperError.sessionExpired) { try await session.get(node) }
        await session.close()
        let other = try await ZooKeeperSession.connect(hosts: server.hosts)
        #expect(try await other.exists(node) == nil)
        await other.close()
    }

    @Test("connecting to nothing gives up at the deadline")
    func connectDeadline() async throws {
        let port = try ZooKeeperServer.freePort()
        let started = Date()
        await #expect(throws: ZooKeeperError.connectTimeout(hosts: "127.0.0.1:\(port)", seconds: 2)) {
            _ = try await ZooKeeperSession.connect(hosts: "127.0.0.1:\(port)", deadline: .seconds(2))
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("zk:// addresses", arguments: [
        ("zk://127.0.0.1:2181/mesos", "127.0.0.1:2181", "/mesos"),
        ("zk://a:1,b:2/converge/", "a:1,b:2", "/converge"),
    ])
    func addresses(text: String, hosts: String, path: String) throws {
        let address = try ZooKeeperAddress(parsing: text)
        #expect(address.hosts == hosts)
        #expect(address.path == path)
    }

    @Test("bad zk:// addresses name the problem", arguments: ["http://a:1/x", "zk://a:1", "zk://a/x", "zk://a:1/", "zk://u:p@a:1/x"])
    func badAddresses(text: String) {
        #expect(throws: ZooKeeperError.self) { try ZooKeeperAddress(parsing: text) }
    }
}

/// Records a session's events from one long-lived task (cancelling an AsyncStream's reader ends the
/// stream), so a test can wait for one after another.
final class EventRecorder: @unchecked Sendable {  // @unchecked: `seen` is only touched under `lock`.
    private let lock = NSLock()
    private var seen: [ZooKeeperEvent] = []
    private var consumed = 0
    private var task: Task<Void, Never>?

    init(_ events: AsyncStream<ZooKeeperEvent>) {
        task = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                self.lock.withLock { self.seen.append(event) }
            }
        }
    }

    deinit { task?.cancel() }

    /// The next event after the last one returned that matches, or nil after `within` seconds.
    func next(within seconds: Double = 10, matching: (ZooKeeperEvent) -> Bool) async throws -> ZooKeeperEvent? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let found: ZooKeeperEvent? = lock.withLock {
                while consumed < seen.count {
                    let event = seen[consumed]
                    consumed += 1
                    if matching(event) { return event }
                }
                return nil
            }
            if let found { return found }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}
