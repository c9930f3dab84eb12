import Foundation

/// Leader election with ephemeral sequential members under `path` (`member_NNNNNNNNNN`): the lowest
/// sequence leads; every other member watches only its predecessor (no herd) and the leader (to learn who
/// leads next). A member whose session expires has lost its place: it must stop acting and join again.
public struct LeaderElection: Sendable {
    public enum Role: Sendable, Equatable {
        case leader
        /// Following; `leaderData` is what the leader wrote (its API address and id).
        case follower(leaderData: Data)
    }

    public let session: ZooKeeperSession
    public let path: String

    public init(session: ZooKeeperSession, path: String) {
        self.session = session
        self.path = path
    }

    /// Joins with `data`; returns the member's node path.
    public func join(data: Data) async throws -> String {
        try await session.ensurePath(path)
        return try await session.create(path + "/member_", data: data, mode: .ephemeralSequential)
    }

    /// Reports the member's role on every change, until it leads (`.leader` is the last value) or the session
    /// ends (throws `sessionExpired` / `closed`).
    public func follow(member: String, onRole: @Sendable (Role) async -> Void) async throws {
        let name = String(member.split(separator: "/").last ?? "")
        let events = session.events()
        var iterator = events.makeAsyncIterator()
        var lastRole: Role?
        while true {
            let members = try await session.children(path).filter { $0.hasPrefix("member_") }.sorted()
            guard let index = members.firstIndex(of: name) else { throw ZooKeeperError.sessionExpired }
            if index == 0 {
                await onRole(.leader)
                return
            }
            let leader = path + "/" + members[0]
            guard let (leaderData, _) = try await session.get(leader, watch: true) else { continue }
            guard try await session.exists(path + "/" + members[index - 1], watch: true) != nil else { continue }
            let role = Role.follower(leaderData: leaderData)
            if role != lastRole {
                lastRole = role
                await onRole(role)
            }
            waiting: while true {
                guard let event = await iterator.next() else { throw ZooKeeperError.closed }
                switch event {
                case .deleted, .dataChanged: break waiting
                case .state(.expired): throw ZooKeeperError.sessionExpired
                case .state(.closed): throw ZooKeeperError.closed
                default: continue waiting
                }
            }
        }
    }
}
