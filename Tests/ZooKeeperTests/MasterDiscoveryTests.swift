import DevCluster
import Foundation
import Mesos
import Testing
@testable import ZooKeeper

/// `--master zk://...`: the client finds the dev cluster's master through its `json.info_` znode and follows
/// a leader change to the standby with the same framework id, its task still running.
@Suite("Mesos master discovery through ZooKeeper", .serialized)
struct MasterDiscoveryTests {
    @Test("the znodes are the ones a Mesos master writes, and the lowest sequence leads")
    func znodes() async throws {
        let zk = try ZooKeeperServer()
        defer { zk.stop() }
        var config = DevClusterConfig(port: 0, agents: 1, virtual: true)
        config.standby = true
        config.zooKeeper = zk.address("/mesos")
        let cluster = try await DevCluster.start(config)
        let session = try await ZooKeeperSession.connect(hosts: zk.hosts)
        let children = try await session.children("/mesos").sorted()
        #expect(children == ["json.info_0000000000", "json.info_0000000001"])
        #expect(MesosMasterInfo.leadingMember(of: children + ["log_replicas"]) == "json.info_0000000000")
        let (data, stat) = try #require(try await session.get("/mesos/json.info_0000000000"))
        #expect(stat.ephemeralOwner != 0)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((json["address"] as? [String: Any])?["ip"] as? String == "127.0.0.1")
        #expect((json["address"] as? [String: Any])?["port"] as? Int == cluster.port)
        #expect(json["ip"] as? Int == 16_777_343)
        #expect(json["pid"] as? String == "master@\(cluster.address)")
        #expect(json["version"] as? String == "1.11.0")
        await cluster.shutdown()
        // The cluster's session closed: its ephemeral nodes are gone.
        #expect(try await session.children("/mesos") == [])
        await session.close()
    }

    @Test("the subscription follows the leader's znode to the standby: same framework id, the task keeps running")
    func followsLeaderChange() async throws {
        let zk = try ZooKeeperServer()
        defer { zk.stop() }
        var config = DevClusterConfig(port: 0, agents: 1, virtual: true)
        config.standby = true
        config.heartbeatInterval = 1
        config.zooKeeper = zk.address("/mesos")
        let cluster = try await DevCluster.start(config)
        let standby = try #require(cluster.standbyAddress)

        let detector = ZooKeeperMasterDetector(address: try ZooKeeperAddress(parsing: zk.address("/mesos")))
        let leader = try await detector.start(deadline: .seconds(20))
        #expect(leader.description == cluster.masterURL)
        var configuration = MesosClientConfiguration(detector: detector, fallback: leader)
        configuration.reconnectBackoff = Backoff(initial: .milliseconds(100), maximum: .milliseconds(500))
        configuration.logger.logLevel = .critical
        let client = SchedulerClient(configuration: configuration)
        let log = EventLog()
        let stream = client.subscribe(framework: FrameworkInfo(user: "test", name: "zk-test", failoverTimeout: 60))
        let reader = Task { for try await event in stream { log.append(event) } }
        defer { reader.cancel() }

        let subscribed = try await log.wait { $0.type == .subscribed }
        let frameworkID = try #require(subscribed.subscribed?.frameworkID)
        let offer = try #require(try await log.wait { $0.type == .offers }.offers?.offers.first)
        let task = TaskInfo(name: "zk-task", taskID: "zk-task", agentID: offer.agentID,
                            resources: [.scalar("cpus", 0.1), .scalar("mem", 32)], command: CommandInfo(value: "sleep 300"))
        try await client.launch(offerIDs: [offer.id], tasks: [task])
        _ = try await log.wait { $0.update?.status.taskID == "zk-task" && $0.update?.status.state == .running }

        try await cluster.failOverToStandby()
        let changed = Date()
        try await log.waitUntil(timeout: 20) { $0.filter { $0.type == .subscribed }.count >= 2 }
        let moved = Date().timeIntervalSince(changed)
        #expect(detector.leader?.description == "http://\(standby)")
        #expect(client.connectionState == .subscribed(frameworkID, MasterEndpoint(standby)!))
        #expect(log.all.filter { $0.type == .subscribed }.allSatisfy { $0.subscribed?.frameworkID == frameworkID })
        print("re-subscribed to the new leader \(String(format: "%.2f", moved)) s after its znode took over")

        try await client.reconcile(tasks: [])
        let answer = try await log.wait { $0.update?.status.taskID == "zk-task" && $0.update?.status.reason == .reconciliation }
        #expect(answer.update?.status.state == .running)
        #expect(!log.all.contains { $0.update?.status.taskID == "zk-task" && $0.update?.status.state == .killed })

        await client.close()
        await detector.stop()
        await cluster.shutdown()
    }
}

/// Collects a client's events for tests to wait on.
final class EventLog: @unchecked Sendable {  // @unchecked: `events` is only touched under `lock`.
    private let lock = NSLock()
    private var events: [Event] = []
    func append(_ event: Event) { lock.withLock { events.append(event) } }
    var all: [Event] { lock.withLock { events } }

    func wait(timeout: Double = 20, _ matches: @escaping (Event) -> Bool) async throws -> Event {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let event = all.first(where: matches) { return event }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ZooKeeperServerError("timed out; events: \(all.map(\.type.rawValue))")
    }

    func waitUntil(timeout: Double = 20, _ condition: ([Event]) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(all) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ZooKeeperServerError("timed out; events: \(all.map(\.type.rawValue))")
    }
}
