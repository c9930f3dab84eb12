/// A task's container: DOCKER or MESOS.
public struct ContainerInfo: Codable, Hashable, Sendable {
    public var type: ContainerType
    @Repeated public var volumes: [Volume]
    public var hostname: String?
    public var docker: DockerInfo?
    public var mesos: MesosInfo?
    @Repeated public var networkInfos: [NetworkInfo]

    enum CodingKeys: String, CodingKey {
        case type, volumes, hostname, docker, mesos, networkInfos = "network_infos"
    }

    public init(type: ContainerType, docker: DockerInfo? = nil, mesos: MesosInfo? = nil,
                volumes: [Volume] = [], hostname: String? = nil, networkInfos: [NetworkInfo] = []) {
        self.type = type
        self.volumes = volumes
        self.hostname = hostname
        self.docker = docker
        self.mesos = mesos
        self.networkInfos = networkInfos
    }

    public struct ContainerType: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let docker: ContainerType = "DOCKER"
        public static let mesos: ContainerType = "MESOS"
    }

    public struct DockerInfo: Codable, Hashable, Sendable {
        public var image: String
        /// HOST (the default), BRIDGE, NONE or USER.
        public var network: Network?
        @Repeated public var portMappings: [PortMapping]
        @LenientOptional public var privileged: Bool?
        @Repeated public var parameters: [Parameter]
        @LenientOptional public var forcePullImage: Bool?

        enum CodingKeys: String, CodingKey {
            case image, network, portMappings = "port_mappings", privileged, parameters
            case forcePullImage = "force_pull_image"
        }

        public init(image: String, network: Network? = nil, portMappings: [PortMapping] = [],
                    privileged: Bool? = nil, parameters: [Parameter] = [], forcePullImage: Bool? = nil) {
            self.image = image
            self.network = network
            self.portMappings = portMappings
            self.privileged = privileged
            self.parameters = parameters
            self.forcePullImage = forcePullImage
        }

        public struct Network: WireEnum {
            public let rawValue: String
            public init(_ rawValue: String) { self.rawValue = rawValue }
            public static let host: Network = "HOST"
            public static let bridge: Network = "BRIDGE"
            public static let none: Network = "NONE"
            public static let user: Network = "USER"
        }
    }

    /// `{"host_port": .., "container_port": .., "protocol": "tcp"}`
    public struct PortMapping: Codable, Hashable, Sendable {
        @Lenient public var hostPort: UInt32
        @Lenient public var containerPort: UInt32
        public var `protocol`: String?

        enum CodingKeys: String, CodingKey {
            case hostPort = "host_port", containerPort = "container_port", `protocol`
        }

        public init(hostPort: UInt32, containerPort: UInt32, protocol: String? = nil) {
            self.hostPort = hostPort
            self.containerPort = containerPort
            self.protocol = `protocol`
        }
    }

    /// `{"image": {...}}`: kept loosely.
    public struct MesosInfo: Codable, Hashable, Sendable {
        public var image: Image?
        public init(image: Image? = nil) { self.image = image }
    }

    public struct Image: Codable, Hashable, Sendable {
        public var type: String
        public var docker: DockerImage?
        @LenientOptional public var cached: Bool?
        public init(type: String, docker: DockerImage? = nil, cached: Bool? = nil) {
            self.type = type
            self.docker = docker
            self.cached = cached
        }
        public struct DockerImage: Codable, Hashable, Sendable {
            public var name: String
            public init(name: String) { self.name = name }
        }
    }

    public struct NetworkInfo: Codable, Hashable, Sendable {
        public var name: String?
        @Repeated public var groups: [String]
        public var labels: Labels?
        @Repeated public var portMappings: [PortMapping]
        @Repeated public var ipAddresses: [IPAddress]

        enum CodingKeys: String, CodingKey {
            case name, groups, labels, portMappings = "port_mappings", ipAddresses = "ip_addresses"
        }

        public init(name: String? = nil, groups: [String] = [], labels: Labels? = nil,
                    portMappings: [PortMapping] = [], ipAddresses: [IPAddress] = []) {
            self.name = name
            self.groups = groups
            self.labels = labels
            self.portMappings = portMappings
            self.ipAddresses = ipAddresses
        }

        public struct IPAddress: Codable, Hashable, Sendable {
            public var `protocol`: String?
            public var ipAddress: String?
            enum CodingKeys: String, CodingKey { case `protocol`, ipAddress = "ip_address" }
            public init(protocol: String? = nil, ipAddress: String? = nil) {
                self.protocol = `protocol`
                self.ipAddress = ipAddress
            }
        }
    }
}

/// A volume mounted into a container.
public struct Volume: Codable, Hashable, Sendable {
    /// RW or RO.
    public var mode: String
    public var containerPath: String
    public var hostPath: String?

    enum CodingKeys: String, CodingKey { case mode, containerPath = "container_path", hostPath = "host_path" }

    public init(mode: String, containerPath: String, hostPath: String? = nil) {
        self.mode = mode
        self.containerPath = containerPath
        self.hostPath = hostPath
    }
}

/// The container status reported in TaskStatus (network addresses, executor pid).
public struct ContainerStatus: Codable, Hashable, Sendable {
    public var containerID: ContainerID?
    @Repeated public var networkInfos: [ContainerInfo.NetworkInfo]
    @LenientOptional public var executorPID: UInt32?

    enum CodingKeys: String, CodingKey {
        case containerID = "container_id", networkInfos = "network_infos", executorPID = "executor_pid"
    }

    public init(containerID: ContainerID? = nil, networkInfos: [ContainerInfo.NetworkInfo] = [],
                executorPID: UInt32? = nil) {
        self.containerID = containerID
        self.networkInfos = networkInfos
        self.executorPID = executorPID
    }
}
