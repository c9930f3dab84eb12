import Foundation
import Mesos

/// What Converge reads from a master's `json.info_NNNNNNNNNN` znode (the JSON form of MasterInfo).
public struct MesosMasterInfo: Sendable, Hashable, Codable {
    public struct Address: Sendable, Hashable, Codable {
        public var hostname: String?
        public var ip: String?
        public var port: Int?
    }

    public var id: String?
    public var address: Address?
    public var hostname: String?
    public var port: Int?
    public var pid: String?
    public var version: String?

    /// `http://ip:port` from `address`, falling back to hostname and port.
    public var endpoint: MasterEndpoint? {
        guard let port = address?.port ?? port else { return nil }
        guard let host = address?.ip ?? address?.hostname ?? hostname, !host.isEmpty else { return nil }
        return MasterEndpoint(scheme: "http", authority: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
    }

    /// The sequence number of a member znode named `<label>_<digits>` (Mesos tokenizes on "_" and wants a numeric
    /// last token), nil for other children such as `log_replicas`. Only `json.info` members carry JSON.
    public static func sequence(ofMember name: String) -> Int? {
        guard name.hasPrefix("json.info_") else { return nil }
        let digits = name.dropFirst("json.info_".count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(digits)
    }

    /// The leading member among `children`: the lowest sequence ("the leader is the oldest member").
    public static func leadingMember(of children: [String]) -> String? {
        children.compactMap { name in sequence(ofMember: name).map { (name, $0) } }.min { $0.1 < $1.1 }?.0
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
