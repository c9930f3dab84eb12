/// A health check run on the agent; its result arrives as `TaskStatus.healthy`.
///
/// Unset timing fields take the proto defaults, exposed by the `effective...` properties.
public struct HealthCheck: Codable, Hashable, Sendable {
    public var type: CheckType?
    public var http: HTTPCheck?
    public var tcp: TCPCheck?
    public var command: CommandInfo?
    @LenientOptional public var delaySeconds: Double?
    @LenientOptional public var intervalSeconds: Double?
    @LenientOptional public var timeoutSeconds: Double?
    @LenientOptional public var consecutiveFailures: UInt32?
    @LenientOptional public var gracePeriodSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case type, http, tcp, command, delaySeconds = "delay_seconds", intervalSeconds = "interval_seconds"
        case timeoutSeconds = "timeout_seconds", consecutiveFailures = "consecutive_failures"
        case gracePeriodSeconds = "grace_period_seconds"
    }

    public init(
        type: CheckType?, http: HTTPCheck? = nil, tcp: TCPCheck? = nil, command: CommandInfo? = nil,
        delaySeconds: Double? = nil, intervalSeconds: Double? = nil, timeoutSeconds: Double? = nil,
        consecutiveFailures: UInt32? = nil, gracePeriodSeconds: Double? = nil
    ) {
        self.type = type
        self.http = http
        self.tcp = tcp
        self.command = command
        self.delaySeconds = delaySeconds
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds
        self.consecutiveFailures = consecutiveFailures
        self.gracePeriodSeconds = gracePeriodSeconds
    }

    public var effectiveDelaySeconds: Double { delaySeconds ?? 15 }
    public var effectiveIntervalSeconds: Double { intervalSeconds ?? 10 }
    public var effectiveTimeoutSeconds: Double { timeoutSeconds ?? 20 }
    public var effectiveConsecutiveFailures: UInt32 { consecutiveFailures ?? 3 }
    public var effectiveGracePeriodSeconds: Double { gracePeriodSeconds ?? 10 }

    public struct CheckType: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let unknown: CheckType = "UNKNOWN"
        public static let command: CheckType = "COMMAND"
        public static let http: CheckType = "HTTP"
        public static let tcp: CheckType = "TCP"
    }

    /// GET scheme://127.0.0.1:port/path; 200-399 is healthy.
    public struct HTTPCheck: Codable, Hashable, Sendable {
        @Lenient public var port: UInt32
        public var path: String?
        public var scheme: String?
        @Repeated public var statuses: [UInt32]
        public var `protocol`: String?

        enum CodingKeys: String, CodingKey { case port, path, scheme, statuses, `protocol` }

        public init(port: UInt32, path: String? = nil, scheme: String? = nil, statuses: [UInt32] = [],
                    protocol: String? = nil) {
            self.port = port
            self.path = path
            self.scheme = scheme
            self.statuses = statuses
            self.protocol = `protocol`
        }
    }

    /// A TCP connect to 127.0.0.1:port.
    public struct TCPCheck: Codable, Hashable, Sendable {
        @Lenient public var port: UInt32
        public var `protocol`: String?
        enum CodingKeys: String, CodingKey { case port, `protocol` }
        public init(port: UInt32, protocol: String? = nil) {
            self.port = port
            self.protocol = `protocol`
        }
    }
}

/// How long to wait between SIGTERM and SIGKILL.
public struct KillPolicy: Codable, Hashable, Sendable {
    public var gracePeriod: DurationInfo?
    enum CodingKeys: String, CodingKey { case gracePeriod = "grace_period" }
    public init(gracePeriod: DurationInfo?) { self.gracePeriod = gracePeriod }
    public init(gracePeriodSeconds: Double) { self.gracePeriod = DurationInfo(seconds: gracePeriodSeconds) }
}

/// Service discovery information; not interpreted by Mesos.
public struct DiscoveryInfo: Codable, Hashable, Sendable {
    /// FRAMEWORK, CLUSTER or EXTERNAL.
    public var visibility: Visibility
    public var name: String?
    public var environment: String?
    public var location: String?
    public var version: String?
    public var ports: Ports?
    public var labels: Labels?

    public init(visibility: Visibility, name: String? = nil, environment: String? = nil,
                location: String? = nil, version: String? = nil, ports: Ports? = nil, labels: Labels? = nil) {
        self.visibility = visibility
        self.name = name
        self.environment = environment
        self.location = location
        self.version = version
        self.ports = ports
        self.labels = labels
    }

    public struct Visibility: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let framework: Visibility = "FRAMEWORK"
        public static let cluster: Visibility = "CLUSTER"
        public static let external: Visibility = "EXTERNAL"
    }

    public struct Ports: Codable, Hashable, Sendable {
        @Repeated public var ports: [Port]
        public init(_ ports: [Port]) { self.ports = ports }
    }

    public struct Port: Codable, Hashable, Sendable {
        @Lenient public var number: UInt32
        public var name: String?
        public var `protocol`: String?
        public var visibility: Visibility?
        public var labels: Labels?
        enum CodingKeys: String, CodingKey { case number, name, `protocol`, visibility, labels }
        public init(number: UInt32, name: String? = nil, protocol: String? = nil,
                    visibility: Visibility? = nil, labels: Labels? = nil) {
            self.number = number
            self.name = name
            self.protocol = `protocol`
            self.visibility = visibility
            self.labels = labels
        }
    }
}
