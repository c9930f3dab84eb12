/// `zk://host:port[,host:port...]/path`, the form Mesos, Marathon and Singularity take.
public struct ZooKeeperAddress: Sendable, Hashable, CustomStringConvertible {
    /// `host:port,host:port` as the C client takes it.
    public var hosts: String
    /// An absolute path without a trailing slash (`/mesos`).
    public var path: String

    public init(hosts: String, path: String) {
        self.hosts = hosts
        self.path = path
    }

    public init(parsing string: String) throws {
        let text = string.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("zk://") else {
            throw ZooKeeperError.invalidAddress(string, "expected zk://host:port[,host:port]/path")
        }
        let rest = text.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/") else {
            throw ZooKeeperError.invalidAddress(string, "a path is needed after the hosts (zk://host:port/mesos)")
        }
        let hosts = String(rest[..<slash])
        if hosts.contains("@") {
            throw ZooKeeperError.invalidAddress(string, "credentials in the address are not supported")
        }
        let servers = hosts.split(separator: ",", omittingEmptySubsequences: false)
        guard !hosts.isEmpty, servers.allSatisfy({ server in
            guard let colon = server.lastIndex(of: ":"), let port = Int(server[server.index(after: colon)...]) else { return false }
            return colon != server.startIndex && (1...65535).contains(port)
        }) else {
            throw ZooKeeperError.invalidAddress(string, "each server must be host:port")
        }
        var path = String(rest[slash...])
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        guard path != "/", !path.contains("//"), !path.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) else {
            throw ZooKeeperError.invalidAddress(string, "the path must name a node (zk://host:port/mesos)")
        }
        self.init(hosts: hosts, path: path)
    }

    public var description: String { "zk://\(hosts)\(path)" }

    /// A child path of `path`.
    public func child(_ name: String) -> String { path + "/" + name }

    /// True for strings that look like a ZooKeeper address rather than a URL list.
    public static func isZooKeeper(_ string: String) -> Bool {
        string.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("zk://")
    }
}

import Foundation
