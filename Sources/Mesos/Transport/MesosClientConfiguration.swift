import Logging

/// How the client reaches the Mesos masters.
public struct MesosClientConfiguration: Sendable {
    /// The masters to try, in order (`http://host:5050`). A 307 from one of them names the leader.
    public var masters: [MasterEndpoint]
    /// When set, the leader it detects wins over the list: the subscription moves when it changes.
    public var detector: (any MasterDetector)?
    /// Basic auth and TLS.
    public var security: TransportSecurity
    /// Timeout to establish a TCP (and TLS) connection.
    public var connectTimeout: Duration = .seconds(5)
    /// Total timeout of every request except the event stream.
    public var requestTimeout: Duration = .seconds(20)
    /// How long a request keeps retrying 503 answers before giving up.
    public var retryDeadline: Duration = .seconds(30)
    /// Backoff between 503 retries.
    public var retryBackoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
    /// Backoff between re-subscriptions after the stream ends.
    public var reconnectBackoff = Backoff(initial: .milliseconds(250), maximum: .seconds(30))
    /// Time allowed from SUBSCRIBE until the SUBSCRIBED event.
    public var subscribeTimeout: Duration = .seconds(30)
    /// The stream is dropped after this many heartbeat intervals without a byte.
    public var missedHeartbeats: Double = 5
    /// Redirects followed in a row before giving up.
    public var maxRedirects = 5
    /// Largest accepted RecordIO record.
    public var maxRecordSize = RecordIODecoder.defaultMaxRecordSize
    public var logger = Logger(label: "converge.mesos")

    public init(masters: [MasterEndpoint], security: TransportSecurity = TransportSecurity()) {
        precondition(!masters.isEmpty, "at least one Mesos master is needed")
        self.masters = masters
        self.security = security
    }

    /// Follows the leader `detector` finds; `fallback` is used while it knows none.
    public init(detector: any MasterDetector, fallback: MasterEndpoint, security: TransportSecurity = TransportSecurity()) {
        self.init(masters: [detector.leader ?? fallback], security: security)
        self.detector = detector
    }

    /// Parses master addresses such as `http://127.0.0.1:5050` or `10.0.0.1:5050`.
    public init(masters: [String], security: TransportSecurity = TransportSecurity()) throws {
        let parsed = try masters.map { string -> MasterEndpoint in
            guard let endpoint = MasterEndpoint(string) else {
                throw MesosClientConfigurationError.invalidMaster(string)
            }
            return endpoint
        }
        guard !parsed.isEmpty else { throw MesosClientConfigurationError.noMasters }
        self.init(masters: parsed, security: security)
    }
}

public enum MesosClientConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalidMaster(String)
    case noMasters

    public var description: String {
        switch self {
        case .invalidMaster(let value): return "Invalid Mesos master address \"\(value)\" (expected http(s)://host:port)"
        case .noMasters: return "No Mesos master address given"
        }
    }
}
