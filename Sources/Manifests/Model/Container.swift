/// `spec.container`: absent means a plain command task.
public struct Container: Sendable, Hashable {
    public var docker: DockerContainer

    public init(docker: DockerContainer) { self.docker = docker }
}

/// `spec.container.docker`. Defaults: network HOST, forcePullImage false, privileged false.
public struct DockerContainer: Sendable, Hashable {
    public enum Network: String, Sendable, Hashable, CaseIterable {
        case host = "HOST", bridge = "BRIDGE", none = "NONE", user = "USER"
    }

    public struct PortMapping: Sendable, Hashable {
        /// Index into the task's allocated host ports.
        public var hostPort: Int
        public var containerPort: Int
        /// "tcp" or "udp".
        public var `protocol`: String

        public init(hostPort: Int, containerPort: Int, protocol: String = "tcp") {
            self.hostPort = hostPort
            self.containerPort = containerPort
            self.protocol = `protocol`
        }
    }

    public struct Volume: Sendable, Hashable {
        public var hostPath: String
        public var containerPath: String
        /// "RO" or "RW".
        public var mode: String

        public init(hostPath: String, containerPath: String, mode: String = "RO") {
            self.hostPath = hostPath
            self.containerPath = containerPath
            self.mode = mode
        }
    }

    public var image: String
    public var network: Network
    public var forcePullImage: Bool
    public var privileged: Bool
    /// Extra `docker run` parameters (`--key=value`).
    public var parameters: [String: String]
    public var portMappings: [PortMapping]
    public var volumes: [Volume]

    public init(
        image: String, network: Network = .host, forcePullImage: Bool = false, privileged: Bool = false,
        parameters: [String: String] = [:], portMappings: [PortMapping] = [], volumes: [Volume] = []
    ) {
        self.image = image
        self.network = network
        self.forcePullImage = forcePullImage
        self.privileged = privileged
        self.parameters = parameters
        self.portMappings = portMappings
        self.volumes = volumes
    }
}
