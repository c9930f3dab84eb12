/// Describes a framework to the master (SUBSCRIBE).
public struct FrameworkInfo: Codable, Hashable, Sendable {
    public var user: String
    public var name: String
    public var id: FrameworkID?
    /// Seconds the master waits for a disconnected framework before removing it and its tasks.
    @LenientOptional public var failoverTimeout: Double?
    @LenientOptional public var checkpoint: Bool?
    /// Deprecated single role; use `roles` with the MULTI_ROLE capability.
    public var role: String?
    @Repeated public var roles: [String]
    public var hostname: String?
    public var principal: String?
    public var webuiURL: String?
    @Repeated public var capabilities: [Capability]
    public var labels: Labels?

    enum CodingKeys: String, CodingKey {
        case user, name, id, failoverTimeout = "failover_timeout", checkpoint, role, roles, hostname
        case principal, webuiURL = "webui_url", capabilities, labels
    }

    public init(
        user: String, name: String, id: FrameworkID? = nil, failoverTimeout: Double? = nil,
        checkpoint: Bool? = nil, role: String? = nil, roles: [String] = [], hostname: String? = nil,
        principal: String? = nil, webuiURL: String? = nil, capabilities: [Capability] = [],
        labels: Labels? = nil
    ) {
        self.user = user
        self.name = name
        self.id = id
        self.failoverTimeout = failoverTimeout
        self.checkpoint = checkpoint
        self.role = role
        self.roles = roles
        self.hostname = hostname
        self.principal = principal
        self.webuiURL = webuiURL
        self.capabilities = capabilities
        self.labels = labels
    }

    /// `{"type": "PARTITION_AWARE"}`
    public struct Capability: Codable, Hashable, Sendable {
        public var type: CapabilityType?
        public init(_ type: CapabilityType) { self.type = type }
    }

    public struct CapabilityType: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let unknown: CapabilityType = "UNKNOWN"
        public static let revocableResources: CapabilityType = "REVOCABLE_RESOURCES"
        public static let taskKillingState: CapabilityType = "TASK_KILLING_STATE"
        public static let gpuResources: CapabilityType = "GPU_RESOURCES"
        public static let sharedResources: CapabilityType = "SHARED_RESOURCES"
        public static let partitionAware: CapabilityType = "PARTITION_AWARE"
        public static let multiRole: CapabilityType = "MULTI_ROLE"
        public static let reservationRefinement: CapabilityType = "RESERVATION_REFINEMENT"
        public static let regionAware: CapabilityType = "REGION_AWARE"
    }

    /// Whether the framework declared this capability.
    public func has(_ capability: CapabilityType) -> Bool {
        capabilities.contains { $0.type == capability }
    }
}

/// Describes the master (in SUBSCRIBED).
public struct MasterInfo: Codable, Hashable, Sendable {
    public var id: String
    @LenientOptional public var ip: UInt32?
    @LenientOptional public var port: UInt32?
    public var pid: String?
    public var hostname: String?
    public var version: String?
    public var address: Address?

    public init(id: String, ip: UInt32? = nil, port: UInt32? = nil, pid: String? = nil,
                hostname: String? = nil, version: String? = nil, address: Address? = nil) {
        self.id = id
        self.ip = ip
        self.port = port
        self.pid = pid
        self.hostname = hostname
        self.version = version
        self.address = address
    }
}

/// A network address: hostname and/or ip, and a port.
public struct Address: Codable, Hashable, Sendable {
    public var hostname: String?
    public var ip: String?
    @Lenient public var port: Int32
    public init(hostname: String? = nil, ip: String? = nil, port: Int32) {
        self.hostname = hostname
        self.ip = ip
        self.port = port
    }
}

/// Protobuf `URL`: how to reach an agent.
public struct MesosURL: Codable, Hashable, Sendable {
    public var scheme: String
    public var address: Address
    public var path: String?
    @Repeated public var query: [Parameter]
    public var fragment: String?
    public init(scheme: String, address: Address, path: String? = nil, query: [Parameter] = [],
                fragment: String? = nil) {
        self.scheme = scheme
        self.address = address
        self.path = path
        self.query = query
        self.fragment = fragment
    }
}
