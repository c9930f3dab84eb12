import Foundation
import Testing
@testable import ZooKeeper

@Suite("Leader election", .serialized)
struct LeaderElectionTests {
    /// Three members with 4 s sessions: the first leads; when its node goes (here a clean close; after SIGKILL
    /// the same happens once the session times out) the second leads and the third, which watches the second, follows it.
    @Test("the lowest member leads; its successor takes over when it goes, the third keeps following")
    func takeover() async throws {
        let zk = try ZooKeeperServer()
        defer { zk.stop() }
        var sessions: [ZooKeeperSession] = []
        var members: [String] = []
        for index in 0..<3 {
            let session = try await ZooKeeperSession.connect(hosts: zk.hosts, sessionTimeout: .seconds(4))
            sessions.append(session)
            members.append(try await LeaderElection(session: session, path: "/converge/leader").join(data: Data("ctl-\(index)".utf8)))
        }
        #expect(members.map { $0.suffix(10) } == ["0000000000", "0000000001", "0000000002"])
        let roles = RoleLog()
        var tasks: [Task<Void, any Error>] = []
        for index in 0..<3 {
            let election = LeaderElection(session: sessions[index], path: "/converge/leader")
            let member = members[index]
            tasks.append(Task { try await election.follow(member: member) { roles.append(index, $0) } })
        }
        #expect(try await roles.wait { $0.contains { $0.0 == 0 && $0.1 == .leader } })
        #expect(try await roles.wait { $0.contains { $0.0 == 2 && $0.1 == .follower(leaderData: Data("ctl-0".utf8)) } })

        await sessions[0].close()  // its member node goes at once
        #expect(try await roles.wait { $0.contains { $0.0 == 1 && $0.1 == .leader } })
        #expect(try await roles.wait { $0.contains { $0.0 == 2 && $0.1 == .follower(leaderData: Data("ctl-1".utf8)) } })
        #expect(!roles.all.contains { $0.0 == 2 && $0.1 == .leader })
        for task in tasks { task.cancel() }
        for session in sessions { await session.close() }
    }
}

final class RoleLog: @unchecked Sendable {  // @unchecked: `entries` is only touched under `lock`.
    private let lock = NSLock()
    private var entries: [(Int, LeaderElection.Role)] = []
    func append(_ member: Int, _ role: LeaderElection.Role) { lock.withLock { entries.append((member, role)) } }
    var all: [(Int, LeaderElection.Role)] { lock.withLock { entries } }

    func wait(timeout: Double = 20, _ condition: ([(Int, LeaderElection.Role)]) -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(all) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
