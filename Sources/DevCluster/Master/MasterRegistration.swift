import Foundation
import Logging
import ZooKeeper

/// The dev cluster's masters in ZooKeeper, written the way Mesos 1.11 masters write them: an
/// EPHEMERAL_SEQUENTIAL `json.info_` child of the path per master address, holding MasterInfo as JSON.
final class MasterRegistration: Sendable {
    let session: ZooKeeperSession
    let address: ZooKeeperAddress
    /// Node path per registered master address ("127.0.0.1:5050").
    private let nodes = Protected([String: String]())

    init(session: ZooKeeperSession, address: ZooKeeperAddress) {
        self.session = session
        self.address = address
    }

    static func connect(_ text: String, logger: Logger) async throws -> MasterRegistration {
        let address = try ZooKeeperAddress(parsing: text)
        let session = try await ZooKeeperSession.connect(hosts: address.hosts, sessionTimeout: .seconds(10), logger: logger)
        do {
            try await session.ensurePath(address.path)
        } catch {
            await session.close()
            throw error
        }
        return MasterRegistration(session: session, address: address)
    }

    /// Registers a master listening on `hostPort` with `masterID`; returns its node.
    @discardableResult
    func register(hostPort: String, masterID: String, version: String) async throws -> String {
        let node = try await session.create(address.child("json.info_"), data: Self.masterInfo(hostPort: hostPort, id: masterID, version: version),
                                            mode: .ephemeralSequential)
        nodes.withLock { $0[hostPort] = node }
        return node
    }

    /// Deletes a master's node (it stops leading; the next lowest sequence takes over).
    func withdraw(hostPort: String) async throws {
        guard let node = nodes.withLock({ $0.removeValue(forKey: hostPort) }) else { return }
        try await session.delete(node)
    }

    func close() async { await session.close() }

    /// The exact JSON a Mesos 1.11 master writes (see shared ZOOKEEPER.md): keys sorted, `ip` as the in_addr
    /// read as a little-endian uint32.
    static func masterInfo(hostPort: String, id: String, version: String) -> Data {
        let colon = hostPort.lastIndex(of: ":")!
        let host = String(hostPort[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let port = Int(hostPort[hostPort.index(after: colon)...]) ?? 0
        let octets = host.split(separator: ".").compactMap { UInt32($0) }
        let ip = octets.count == 4 ? octets.enumerated().reduce(UInt32(0)) { $0 | ($1.element << (8 * UInt32($1.offset))) } : 0
        let info: [String: Any] = [
            "address": ["hostname": host, "ip": host, "port": port],
            "capabilities": [["type": "AGENT_UPDATE"], ["type": "AGENT_DRAINING"], ["type": "QUOTA_V2"]],
            "hostname": host, "id": id, "ip": ip, "pid": "master@\(hostPort)", "port": port, "version": version,
        ]
        return (try? JSONSerialization.data(withJSONObject: info, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}

/// A value guarded by a lock.
final class Protected<Value>: @unchecked Sendable {  // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
