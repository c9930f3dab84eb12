/// What a session reports: its connection state, and the watches it set firing (each watch fires once).
public enum ZooKeeperEvent: Sendable, Hashable {
    case state(ZooKeeperSessionState)
    case created(String)
    case deleted(String)
    case dataChanged(String)
    case childrenChanged(String)
}

public enum ZooKeeperSessionState: Sendable, Hashable {
    /// Not connected to any server; the session lives on until the server expires it.
    case connecting
    case connected
    /// Gone for good: ephemeral nodes deleted, watches lost; make a new session.
    case expired
    case authFailed
    case closed
}
