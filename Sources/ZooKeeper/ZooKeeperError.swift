import CZooKeeper

/// A ZooKeeper call that failed, with the C client's code and text.
public enum ZooKeeperError: Error, Equatable, CustomStringConvertible {
    /// No session could be established within the deadline.
    case connectTimeout(hosts: String, seconds: Double)
    /// The server expired the session (or the handle is no longer usable): every ephemeral node is gone.
    case sessionExpired
    case noNode(String)
    case nodeExists(String)
    case notEmpty(String)
    case badVersion(String)
    /// The connection dropped while the call was in flight; its outcome is unknown.
    case connectionLoss(String)
    case closed
    case invalidAddress(String, String)
    /// No leading Mesos master was registered under the address in time.
    case noLeader(String, seconds: Double)
    case other(code: Int32, path: String)

    init(code: Int32, path: String) {
        switch code {
        case ZNONODE.rawValue: self = .noNode(path)
        case ZNODEEXISTS.rawValue: self = .nodeExists(path)
        case ZNOTEMPTY.rawValue: self = .notEmpty(path)
        case ZBADVERSION.rawValue: self = .badVersion(path)
        case ZSESSIONEXPIRED.rawValue, ZINVALIDSTATE.rawValue: self = .sessionExpired
        case ZCONNECTIONLOSS.rawValue, ZOPERATIONTIMEOUT.rawValue: self = .connectionLoss(path)
        default: self = .other(code: code, path: path)
        }
    }

    public var description: String {
        switch self {
        case .connectTimeout(let hosts, let seconds): "no ZooKeeper session with \(hosts) within \(seconds) s"
        case .sessionExpired: "the ZooKeeper session expired"
        case .noNode(let path): "ZooKeeper node \(path) does not exist"
        case .nodeExists(let path): "ZooKeeper node \(path) already exists"
        case .notEmpty(let path): "ZooKeeper node \(path) has children"
        case .badVersion(let path): "ZooKeeper node \(path) changed meanwhile (version mismatch)"
        case .connectionLoss(let path): "lost the ZooKeeper connection during a call on \(path)"
        case .closed: "the ZooKeeper session is closed"
        case .invalidAddress(let address, let why): "invalid ZooKeeper address \"\(address)\": \(why)"
        case .noLeader(let address, let seconds): "no leading Mesos master (json.info_ node) under \(address) within \(seconds) s"
        case .other(let code, let path): "ZooKeeper error on \(path): \(String(cString: zerror(code))) (\(code))"
        }
    }
}
