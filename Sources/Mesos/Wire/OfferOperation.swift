/// An operation in an ACCEPT call. LAUNCH is fully modelled; the others are decoded loosely.
public struct OfferOperation: Codable, Hashable, Sendable {
    public var type: OperationType?
    public var id: OperationID?
    public var launch: Launch?
    public var launchGroup: LaunchGroup?
    public var reserve: ResourceList?
    public var unreserve: ResourceList?
    public var create: VolumeList?
    public var destroy: VolumeList?

    enum CodingKeys: String, CodingKey {
        case type, id, launch, launchGroup = "launch_group", reserve, unreserve, create, destroy
    }

    public init(type: OperationType?, id: OperationID? = nil, launch: Launch? = nil,
                launchGroup: LaunchGroup? = nil, reserve: ResourceList? = nil, unreserve: ResourceList? = nil,
                create: VolumeList? = nil, destroy: VolumeList? = nil) {
        self.type = type
        self.id = id
        self.launch = launch
        self.launchGroup = launchGroup
        self.reserve = reserve
        self.unreserve = unreserve
        self.create = create
        self.destroy = destroy
    }

    /// `{"type":"LAUNCH","launch":{"task_infos":[...]}}`
    public static func launch(_ tasks: [TaskInfo]) -> OfferOperation {
        OfferOperation(type: .launch, launch: Launch(taskInfos: tasks))
    }

    public struct OperationType: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let unknown: OperationType = "UNKNOWN"
        public static let launch: OperationType = "LAUNCH"
        public static let launchGroup: OperationType = "LAUNCH_GROUP"
        public static let reserve: OperationType = "RESERVE"
        public static let unreserve: OperationType = "UNRESERVE"
        public static let create: OperationType = "CREATE"
        public static let destroy: OperationType = "DESTROY"
        public static let growVolume: OperationType = "GROW_VOLUME"
        public static let shrinkVolume: OperationType = "SHRINK_VOLUME"
        public static let createDisk: OperationType = "CREATE_DISK"
        public static let destroyDisk: OperationType = "DESTROY_DISK"
    }

    public struct Launch: Codable, Hashable, Sendable {
        @Repeated public var taskInfos: [TaskInfo]
        enum CodingKeys: String, CodingKey { case taskInfos = "task_infos" }
        public init(taskInfos: [TaskInfo]) { self.taskInfos = taskInfos }
    }

    public struct LaunchGroup: Codable, Hashable, Sendable {
        public var executor: ExecutorInfo
        public var taskGroup: TaskGroup
        enum CodingKeys: String, CodingKey { case executor, taskGroup = "task_group" }
        public init(executor: ExecutorInfo, taskGroup: TaskGroup) {
            self.executor = executor
            self.taskGroup = taskGroup
        }
        public struct TaskGroup: Codable, Hashable, Sendable {
            @Repeated public var tasks: [TaskInfo]
            public init(tasks: [TaskInfo]) { self.tasks = tasks }
        }
    }

    public struct ResourceList: Codable, Hashable, Sendable {
        @Repeated public var resources: [Resource]
        public init(resources: [Resource]) { self.resources = resources }
    }

    public struct VolumeList: Codable, Hashable, Sendable {
        @Repeated public var volumes: [Resource]
        public init(volumes: [Resource]) { self.volumes = volumes }
    }
}
