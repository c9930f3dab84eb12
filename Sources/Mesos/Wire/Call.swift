/// A scheduler call: `{"framework_id":{..},"type":"ACCEPT","accept":{..}}`.
///
/// Build calls with the static constructors (`Call.accept(...)`); the payload nests under the
/// lowercased type name.
public struct Call: Codable, Hashable, Sendable {
    public var frameworkID: FrameworkID?
    public var type: CallType
    public var subscribe: Subscribe?
    public var accept: Accept?
    public var decline: Decline?
    public var acceptInverseOffers: InverseOffersReply?
    public var declineInverseOffers: InverseOffersReply?
    public var revive: Roles?
    public var suppress: Roles?
    public var kill: Kill?
    public var shutdown: Shutdown?
    public var acknowledge: Acknowledge?
    public var reconcile: Reconcile?
    public var message: Message?
    public var request: Request?

    enum CodingKeys: String, CodingKey {
        case frameworkID = "framework_id", type, subscribe, accept, decline
        case acceptInverseOffers = "accept_inverse_offers", declineInverseOffers = "decline_inverse_offers"
        case revive, suppress, kill, shutdown, acknowledge, reconcile, message, request
    }

    public init(type: CallType, frameworkID: FrameworkID? = nil) {
        self.type = type
        self.frameworkID = frameworkID
    }

    public struct CallType: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let unknown: CallType = "UNKNOWN"
        public static let subscribe: CallType = "SUBSCRIBE"
        public static let teardown: CallType = "TEARDOWN"
        public static let accept: CallType = "ACCEPT"
        public static let decline: CallType = "DECLINE"
        public static let acceptInverseOffers: CallType = "ACCEPT_INVERSE_OFFERS"
        public static let declineInverseOffers: CallType = "DECLINE_INVERSE_OFFERS"
        public static let revive: CallType = "REVIVE"
        public static let kill: CallType = "KILL"
        public static let shutdown: CallType = "SHUTDOWN"
        public static let acknowledge: CallType = "ACKNOWLEDGE"
        public static let acknowledgeOperationStatus: CallType = "ACKNOWLEDGE_OPERATION_STATUS"
        public static let reconcile: CallType = "RECONCILE"
        public static let reconcileOperations: CallType = "RECONCILE_OPERATIONS"
        public static let message: CallType = "MESSAGE"
        public static let request: CallType = "REQUEST"
        public static let suppress: CallType = "SUPPRESS"
        public static let updateFramework: CallType = "UPDATE_FRAMEWORK"
    }

    public struct Subscribe: Codable, Hashable, Sendable {
        public var frameworkInfo: FrameworkInfo
        @Repeated public var suppressedRoles: [String]
        enum CodingKeys: String, CodingKey {
            case frameworkInfo = "framework_info", suppressedRoles = "suppressed_roles"
        }
        public init(frameworkInfo: FrameworkInfo, suppressedRoles: [String] = []) {
            self.frameworkInfo = frameworkInfo
            self.suppressedRoles = suppressedRoles
        }
    }

    public struct Accept: Codable, Hashable, Sendable {
        @Repeated public var offerIDs: [OfferID]
        @Repeated public var operations: [OfferOperation]
        public var filters: Filters?
        enum CodingKeys: String, CodingKey { case offerIDs = "offer_ids", operations, filters }
        public init(offerIDs: [OfferID], operations: [OfferOperation], filters: Filters? = nil) {
            self.offerIDs = offerIDs
            self.operations = operations
            self.filters = filters
        }
    }

    public struct Decline: Codable, Hashable, Sendable {
        @Repeated public var offerIDs: [OfferID]
        public var filters: Filters?
        enum CodingKeys: String, CodingKey { case offerIDs = "offer_ids", filters }
        public init(offerIDs: [OfferID], filters: Filters? = nil) {
            self.offerIDs = offerIDs
            self.filters = filters
        }
    }

    /// The body of ACCEPT_INVERSE_OFFERS and DECLINE_INVERSE_OFFERS.
    public struct InverseOffersReply: Codable, Hashable, Sendable {
        @Repeated public var inverseOfferIDs: [OfferID]
        public var filters: Filters?
        enum CodingKeys: String, CodingKey { case inverseOfferIDs = "inverse_offer_ids", filters }
        public init(inverseOfferIDs: [OfferID], filters: Filters? = nil) {
            self.inverseOfferIDs = inverseOfferIDs
            self.filters = filters
        }
    }

    /// The body of REVIVE and SUPPRESS; empty means every role.
    public struct Roles: Codable, Hashable, Sendable {
        @Repeated public var roles: [String]
        public init(roles: [String] = []) { self.roles = roles }
    }

    public struct Kill: Codable, Hashable, Sendable {
        public var taskID: TaskID
        public var agentID: AgentID?
        public var killPolicy: KillPolicy?
        enum CodingKeys: String, CodingKey { case taskID = "task_id", agentID = "agent_id", killPolicy = "kill_policy" }
        public init(taskID: TaskID, agentID: AgentID?, killPolicy: KillPolicy? = nil) {
            self.taskID = taskID
            self.agentID = agentID
            self.killPolicy = killPolicy
        }
    }

    public struct Shutdown: Codable, Hashable, Sendable {
        public var executorID: ExecutorID
        public var agentID: AgentID
        enum CodingKeys: String, CodingKey { case executorID = "executor_id", agentID = "agent_id" }
        public init(executorID: ExecutorID, agentID: AgentID) {
            self.executorID = executorID
            self.agentID = agentID
        }
    }

    public struct Acknowledge: Codable, Hashable, Sendable {
        public var agentID: AgentID
        public var taskID: TaskID
        public var uuid: Bytes
        enum CodingKeys: String, CodingKey { case agentID = "agent_id", taskID = "task_id", uuid }
        public init(agentID: AgentID, taskID: TaskID, uuid: Bytes) {
            self.agentID = agentID
            self.taskID = taskID
            self.uuid = uuid
        }
    }

    /// `{"tasks":[{"task_id":..,"agent_id":..}]}`; no tasks is implicit reconciliation.
    public struct Reconcile: Codable, Hashable, Sendable {
        @Repeated public var tasks: [Task]
        public init(tasks: [Task] = []) { self.tasks = tasks }
        public struct Task: Codable, Hashable, Sendable {
            public var taskID: TaskID
            public var agentID: AgentID?
            enum CodingKeys: String, CodingKey { case taskID = "task_id", agentID = "agent_id" }
            public init(taskID: TaskID, agentID: AgentID? = nil) {
                self.taskID = taskID
                self.agentID = agentID
            }
        }
    }

    public struct Message: Codable, Hashable, Sendable {
        public var agentID: AgentID
        public var executorID: ExecutorID
        public var data: Bytes
        enum CodingKeys: String, CodingKey { case agentID = "agent_id", executorID = "executor_id", data }
        public init(agentID: AgentID, executorID: ExecutorID, data: Bytes) {
            self.agentID = agentID
            self.executorID = executorID
            self.data = data
        }
    }

    public struct Request: Codable, Hashable, Sendable {
        @Repeated public var requests: [ResourceRequest]
        public init(requests: [ResourceRequest]) { self.requests = requests }
        public struct ResourceRequest: Codable, Hashable, Sendable {
            public var agentID: AgentID?
            @Repeated public var resources: [Resource]
            enum CodingKeys: String, CodingKey { case agentID = "agent_id", resources }
            public init(agentID: AgentID? = nil, resources: [Resource] = []) {
                self.agentID = agentID
                self.resources = resources
            }
        }
    }
}

extension Call {
    /// SUBSCRIBE; on re-subscribe the framework id is set both in the info and at the top level.
    public static func subscribe(_ info: FrameworkInfo, suppressedRoles: [String] = []) -> Call {
        var call = Call(type: .subscribe, frameworkID: info.id)
        call.subscribe = Subscribe(frameworkInfo: info, suppressedRoles: suppressedRoles)
        return call
    }

    public static func teardown(_ frameworkID: FrameworkID) -> Call {
        Call(type: .teardown, frameworkID: frameworkID)
    }

    public static func accept(_ frameworkID: FrameworkID, offerIDs: [OfferID], operations: [OfferOperation],
                              filters: Filters? = nil) -> Call {
        var call = Call(type: .accept, frameworkID: frameworkID)
        call.accept = Accept(offerIDs: offerIDs, operations: operations, filters: filters)
        return call
    }

    public static func decline(_ frameworkID: FrameworkID, offerIDs: [OfferID], filters: Filters? = nil) -> Call {
        var call = Call(type: .decline, frameworkID: frameworkID)
        call.decline = Decline(offerIDs: offerIDs, filters: filters)
        return call
    }

    public static func acceptInverseOffers(_ frameworkID: FrameworkID, inverseOfferIDs: [OfferID],
                                           filters: Filters? = nil) -> Call {
        var call = Call(type: .acceptInverseOffers, frameworkID: frameworkID)
        call.acceptInverseOffers = InverseOffersReply(inverseOfferIDs: inverseOfferIDs, filters: filters)
        return call
    }

    public static func declineInverseOffers(_ frameworkID: FrameworkID, inverseOfferIDs: [OfferID],
                                            filters: Filters? = nil) -> Call {
        var call = Call(type: .declineInverseOffers, frameworkID: frameworkID)
        call.declineInverseOffers = InverseOffersReply(inverseOfferIDs: inverseOfferIDs, filters: filters)
        return call
    }

    public static func revive(_ frameworkID: FrameworkID, roles: [String] = []) -> Call {
        var call = Call(type: .revive, frameworkID: frameworkID)
        call.revive = Roles(roles: roles)
        return call
    }

    public static func suppress(_ frameworkID: FrameworkID, roles: [String] = []) -> Call {
        var call = Call(type: .suppress, frameworkID: frameworkID)
        call.suppress = Roles(roles: roles)
        return call
    }

    public static func kill(_ frameworkID: FrameworkID, taskID: TaskID, agentID: AgentID?,
                            killPolicy: KillPolicy? = nil) -> Call {
        var call = Call(type: .kill, frameworkID: frameworkID)
        call.kill = Kill(taskID: taskID, agentID: agentID, killPolicy: killPolicy)
        return call
    }

    public static func shutdown(_ frameworkID: FrameworkID, executorID: ExecutorID, agentID: AgentID) -> Call {
        var call = Call(type: .shutdown, frameworkID: frameworkID)
        call.shutdown = Shutdown(executorID: executorID, agentID: agentID)
        return call
    }

    public static func acknowledge(_ frameworkID: FrameworkID, agentID: AgentID, taskID: TaskID,
                                   uuid: Bytes) -> Call {
        var call = Call(type: .acknowledge, frameworkID: frameworkID)
        call.acknowledge = Acknowledge(agentID: agentID, taskID: taskID, uuid: uuid)
        return call
    }

    public static func reconcile(_ frameworkID: FrameworkID, tasks: [Reconcile.Task]) -> Call {
        var call = Call(type: .reconcile, frameworkID: frameworkID)
        call.reconcile = Reconcile(tasks: tasks)
        return call
    }

    public static func message(_ frameworkID: FrameworkID, agentID: AgentID, executorID: ExecutorID,
                               data: Bytes) -> Call {
        var call = Call(type: .message, frameworkID: frameworkID)
        call.message = Message(agentID: agentID, executorID: executorID, data: data)
        return call
    }

    public static func request(_ frameworkID: FrameworkID, requests: [Request.ResourceRequest]) -> Call {
        var call = Call(type: .request, frameworkID: frameworkID)
        call.request = Request(requests: requests)
        return call
    }
}
