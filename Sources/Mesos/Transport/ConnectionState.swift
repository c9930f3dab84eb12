/// Where the scheduler's subscription stands.
public enum ConnectionState: Sendable, Equatable, CustomStringConvertible {
    /// `subscribe` has not been called yet.
    case idle
    /// Sending SUBSCRIBE to this master.
    case connecting(MasterEndpoint)
    /// SUBSCRIBED received; calls can be made.
    case subscribed(FrameworkID, MasterEndpoint)
    /// The stream ended; re-subscribing after a backoff.
    case reconnecting(attempt: Int, reason: String)
    /// The stream ended for good (closed, framework removed, or a non-retryable error).
    case closed(reason: String)

    public var isSubscribed: Bool {
        if case .subscribed = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .idle: return "idle"
        case .connecting(let endpoint): return "connecting to \(endpoint)"
        case .subscribed(let id, let endpoint): return "subscribed as \(id) at \(endpoint)"
        case .reconnecting(let attempt, let reason): return "reconnecting (attempt \(attempt)): \(reason)"
        case .closed(let reason): return "closed: \(reason)"
        }
    }
}
