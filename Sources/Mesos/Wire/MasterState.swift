/// `GET /master/state` in the legacy JSON format: plain-string ids and flat resources.
public struct MasterState: Codable, Hashable, Sendable {
    public var version: String?
    public var gitSHA: String?
    public var id: String?
    public var pid: String?
    public var hostname: String?
    /// The leading master's pid (`master@host:port`).
    public var leader: String?
    @LenientOptional public var startTime: Double?
    @LenientOptional public var electedTime: Double?
    @LenientOptional public var activatedSlaves: Double?
    @LenientOptional public var deactivatedSlaves: Double?
    @Repeated public var slaves: [Agent]
    @Repeated public var frameworks: [Framework]
    @Repeated public var completedFrameworks: [Framework]

    enum CodingKeys: String, CodingKey {
        case version, gitSHA = "git_sha", id, pid, hostname, leader, startTime = "start_time"
        case electedTime = "elected_time", activatedSlaves = "activated_slaves"
        case deactivatedSlaves = "deactivated_slaves", slaves, frameworks
        case completedFrameworks = "completed_frameworks"
    }

    public init(version: String? = nil, id: String? = nil, pid: String? = nil, hostname: String? = nil,
                leader: String? = nil, slaves: [Agent] = [], frameworks: [Framework] = [],
                completedFrameworks: [Framework] = []) {
        self.version = version
        self.id = id
        self.pid = pid
        self.hostname = hostname
        self.leader = leader
        self.slaves = slaves
        self.frameworks = frameworks
        self.completedFrameworks = completedFrameworks
    }

    /// The framework with this id (active or completed).
    public func framework(_ id: FrameworkID) -> Framework? {
        frameworks.first { $0.id == id.value } ?? completedFrameworks.first { $0.id == id.value }
    }

    /// An agent ("slave") as the legacy endpoints show it.
    public struct Agent: Codable, Hashable, Sendable {
        public var id: String
        public var pid: String?
        public var hostname: String
        @LenientOptional public var port: Int32?
        public var resources: FlatResources?
        public var usedResources: FlatResources?
        public var offeredResources: FlatResources?
        public var unreservedResources: FlatResources?
        public var reservedResources: [String: FlatResources]?
        /// Attributes: text as strings, scalars as numbers, ranges/sets as strings.
        public var attributes: [String: FlatValue]?
        @LenientOptional public var active: Bool?
        @LenientOptional public var deactivated: Bool?
        @LenientOptional public var registeredTime: Double?
        @LenientOptional public var reregisteredTime: Double?
        public var version: String?
        @Repeated public var capabilities: [String]

        enum CodingKeys: String, CodingKey {
            case id, pid, hostname, port, resources, usedResources = "used_resources"
            case offeredResources = "offered_resources", unreservedResources = "unreserved_resources"
            case reservedResources = "reserved_resources", attributes, active, deactivated
            case registeredTime = "registered_time", reregisteredTime = "reregistered_time", version, capabilities
        }

        public init(id: String, hostname: String, pid: String? = nil, port: Int32? = nil,
                    resources: FlatResources? = nil, usedResources: FlatResources? = nil,
                    offeredResources: FlatResources? = nil, unreservedResources: FlatResources? = nil,
                    attributes: [String: FlatValue]? = nil, active: Bool? = nil, deactivated: Bool? = nil,
                    registeredTime: Double? = nil, version: String? = nil, capabilities: [String] = []) {
            self.id = id
            self.pid = pid
            self.hostname = hostname
            self.port = port
            self.resources = resources
            self.usedResources = usedResources
            self.offeredResources = offeredResources
            self.unreservedResources = unreservedResources
            self.attributes = attributes
            self.active = active
            self.deactivated = deactivated
            self.registeredTime = registeredTime
            self.version = version
            self.capabilities = capabilities
        }
    }

    public struct Framework: Codable, Hashable, Sendable {
        public var id: String
        public var name: String
        public var pid: String?
        public var hostname: String?
        public var webuiURL: String?
        @LenientOptional public var active: Bool?
        @LenientOptional public var connected: Bool?
        @LenientOptional public var recovered: Bool?
        public var user: String?
        @LenientOptional public var failoverTimeout: Double?
        @LenientOptional public var checkpoint: Bool?
        public var role: String?
        @Repeated public var roles: [String]
        public var principal: String?
        @Repeated public var capabilities: [String]
        @LenientOptional public var registeredTime: Double?
        @LenientOptional public var unregisteredTime: Double?
        @LenientOptional public var reregisteredTime: Double?
        public var resources: FlatResources?
        public var usedResources: FlatResources?
        public var offeredResources: FlatResources?
        @Repeated public var tasks: [Task]
        @Repeated public var unreachableTasks: [Task]
        @Repeated public var completedTasks: [Task]
        @Repeated public var labels: [Label]

        enum CodingKeys: String, CodingKey {
            case id, name, pid, hostname, webuiURL = "webui_url", active, connected, recovered, user
            case failoverTimeout = "failover_timeout", checkpoint, role, roles, principal, capabilities
            case registeredTime = "registered_time", unregisteredTime = "unregistered_time"
            case reregisteredTime = "reregistered_time", resources, usedResources = "used_resources"
            case offeredResources = "offered_resources", tasks, unreachableTasks = "unreachable_tasks"
            case completedTasks = "completed_tasks", labels
        }

        public init(id: String, name: String, active: Bool? = nil, connected: Bool? = nil, user: String? = nil,
                    failoverTimeout: Double? = nil, checkpoint: Bool? = nil, role: String? = nil,
                    roles: [String] = [], principal: String? = nil, capabilities: [String] = [],
                    hostname: String? = nil, webuiURL: String? = nil, registeredTime: Double? = nil,
                    resources: FlatResources? = nil, usedResources: FlatResources? = nil,
                    offeredResources: FlatResources? = nil, tasks: [Task] = [], unreachableTasks: [Task] = [],
                    completedTasks: [Task] = [], labels: [Label] = []) {
            self.id = id
            self.name = name
            self.active = active
            self.connected = connected
            self.user = user
            self.failoverTimeout = failoverTimeout
            self.checkpoint = checkpoint
            self.role = role
            self.roles = roles
            self.principal = principal
            self.capabilities = capabilities
            self.hostname = hostname
            self.webuiURL = webuiURL
            self.registeredTime = registeredTime
            self.resources = resources
            self.usedResources = usedResources
            self.offeredResources = offeredResources
            self.tasks = tasks
            self.unreachableTasks = unreachableTasks
            self.completedTasks = completedTasks
            self.labels = labels
        }
    }

    public struct Task: Codable, Hashable, Sendable {
        public var id: String
        public var name: String
        public var frameworkID: String
        public var executorID: String?
        public var slaveID: String
        public var state: TaskState
        public var resources: FlatResources?
        public var role: String?
        @Repeated public var statuses: [Status]
        @Repeated public var labels: [Label]
        public var healthCheck: HealthCheck?
        public var container: ContainerInfo?
        public var discovery: DiscoveryInfo?
        public var user: String?

        enum CodingKeys: String, CodingKey {
            case id, name, frameworkID = "framework_id", executorID = "executor_id", slaveID = "slave_id"
            case state, resources, role, statuses, labels, healthCheck = "health_check", container
            case discovery, user
        }

        public init(id: String, name: String, frameworkID: String, slaveID: String, state: TaskState,
                    executorID: String? = nil, resources: FlatResources? = nil, role: String? = nil,
                    statuses: [Status] = [], labels: [Label] = [], healthCheck: HealthCheck? = nil,
                    container: ContainerInfo? = nil, discovery: DiscoveryInfo? = nil, user: String? = nil) {
            self.id = id
            self.name = name
            self.frameworkID = frameworkID
            self.executorID = executorID
            self.slaveID = slaveID
            self.state = state
            self.resources = resources
            self.role = role
            self.statuses = statuses
            self.labels = labels
            self.healthCheck = healthCheck
            self.container = container
            self.discovery = discovery
            self.user = user
        }

        /// The value of the first label with this key.
        public func label(_ key: String) -> String? { labels.first { $0.key == key }?.value }
    }

    /// A task status in the legacy format.
    public struct Status: Codable, Hashable, Sendable {
        public var state: TaskState
        @LenientOptional public var timestamp: Double?
        @LenientOptional public var healthy: Bool?
        public var labels: Labels?
        public var containerStatus: ContainerStatus?

        enum CodingKeys: String, CodingKey {
            case state, timestamp, healthy, labels, containerStatus = "container_status"
        }

        public init(state: TaskState, timestamp: Double? = nil, healthy: Bool? = nil, labels: Labels? = nil,
                    containerStatus: ContainerStatus? = nil) {
            self.state = state
            self.timestamp = timestamp
            self.healthy = healthy
            self.labels = labels
            self.containerStatus = containerStatus
        }
    }
}

/// `GET /version`.
public struct VersionInfo: Codable, Hashable, Sendable {
    public var version: String
    public var buildDate: String?
    @LenientOptional public var buildTime: Double?
    public var buildUser: String?
    public var gitSHA: String?
    public var gitBranch: String?
    public var gitTag: String?

    enum CodingKeys: String, CodingKey {
        case version, buildDate = "build_date", buildTime = "build_time", buildUser = "build_user"
        case gitSHA = "git_sha", gitBranch = "git_branch", gitTag = "git_tag"
    }

    public init(version: String, buildDate: String? = nil, buildTime: Double? = nil, buildUser: String? = nil,
                gitSHA: String? = nil, gitBranch: String? = nil, gitTag: String? = nil) {
        self.version = version
        self.buildDate = buildDate
        self.buildTime = buildTime
        self.buildUser = buildUser
        self.gitSHA = gitSHA
        self.gitBranch = gitBranch
        self.gitTag = gitTag
    }
}

/// The agent's `GET /files/read?path=..&offset=..&length=..` answer. `offset=-1` asks for the size.
public struct FileChunk: Codable, Hashable, Sendable {
    @Lenient public var offset: Int64
    public var data: String
    public init(offset: Int64, data: String) {
        self.offset = offset
        self.data = data
    }
}
