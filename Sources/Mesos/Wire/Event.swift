/// A scheduler event from the SUBSCRIBE stream: `{"type":"UPDATE","update":{..}}`.
public struct Event: Codable, Hashable, Sendable {
    public var type: EventType
    public var subscribed: Subscribed?
    public var offers: Offers?
    public var inverseOffers: InverseOffers?
    public var rescind: Rescind?
    public var rescindInverseOffer: RescindInverseOffer?
    public var update: Update?
    public var updateOperationStatus: UpdateOperationStatus?
    public var message: Message?
    public var failure: Failure?
    public var error: Error?

    enum CodingKeys: String, CodingKey {
        case type, subscribed, offers, inverseOffers = "inverse_offers", rescind
        case rescindInverseOffer = "rescind_inverse_offer", update
        case updateOperationStatus = "update_operation_status", message, failure, error
    }

    public init(type: EventType) { self.type = type }

    public struct EventType: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let unknown: EventType = "UNKNOWN"
        public static let subscribed: EventType = "SUBSCRIBED"
        public static let offers: EventType = "OFFERS"
        public static let inverseOffers: EventType = "INVERSE_OFFERS"
        public static let rescind: EventType = "RESCIND"
        public static let rescindInverseOffer: EventType = "RESCIND_INVERSE_OFFER"
        public static let update: EventType = "UPDATE"
        public static let updateOperationStatus: EventType = "UPDATE_OPERATION_STATUS"
        public static let message: EventType = "MESSAGE"
        public static let failure: EventType = "FAILURE"
        public static let error: EventType = "ERROR"
        public static let heartbeat: EventType = "HEARTBEAT"
    }

    public struct Subscribed: Codable, Hashable, Sendable {
        public var frameworkID: FrameworkID
        @LenientOptional public var heartbeatIntervalSeconds: Double?
        public var masterInfo: MasterInfo?
        enum CodingKeys: String, CodingKey {
            case frameworkID = "framework_id", heartbeatIntervalSeconds = "heartbeat_interval_seconds"
            case masterInfo = "master_info"
        }
        public init(frameworkID: FrameworkID, heartbeatIntervalSeconds: Double? = 15, masterInfo: MasterInfo? = nil) {
            self.frameworkID = frameworkID
            self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
            self.masterInfo = masterInfo
        }
    }

    /// `{"offers":[...]}` (the event is `{"type":"OFFERS","offers":{"offers":[...]}}`).
    public struct Offers: Codable, Hashable, Sendable {
        @Repeated public var offers: [Offer]
        public init(offers: [Offer]) { self.offers = offers }
    }

    public struct InverseOffers: Codable, Hashable, Sendable {
        @Repeated public var inverseOffers: [InverseOffer]
        enum CodingKeys: String, CodingKey { case inverseOffers = "inverse_offers" }
        public init(inverseOffers: [InverseOffer]) { self.inverseOffers = inverseOffers }
    }

    public struct Rescind: Codable, Hashable, Sendable {
        public var offerID: OfferID
        enum CodingKeys: String, CodingKey { case offerID = "offer_id" }
        public init(offerID: OfferID) { self.offerID = offerID }
    }

    public struct RescindInverseOffer: Codable, Hashable, Sendable {
        public var inverseOfferID: OfferID
        enum CodingKeys: String, CodingKey { case inverseOfferID = "inverse_offer_id" }
        public init(inverseOfferID: OfferID) { self.inverseOfferID = inverseOfferID }
    }

    public struct Update: Codable, Hashable, Sendable {
        public var status: TaskStatus
        public init(status: TaskStatus) { self.status = status }
    }

    public struct UpdateOperationStatus: Codable, Hashable, Sendable {
        public var status: OperationStatus
        public init(status: OperationStatus) { self.status = status }
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

    /// An agent (no executor id) or an executor failed.
    public struct Failure: Codable, Hashable, Sendable {
        public var agentID: AgentID?
        public var executorID: ExecutorID?
        @LenientOptional public var status: Int32?
        enum CodingKeys: String, CodingKey { case agentID = "agent_id", executorID = "executor_id", status }
        public init(agentID: AgentID? = nil, executorID: ExecutorID? = nil, status: Int32? = nil) {
            self.agentID = agentID
            self.executorID = executorID
            self.status = status
        }
    }

    /// The stream is over; the message says why.
    public struct Error: Codable, Hashable, Sendable {
        public var message: String
        public init(message: String) { self.message = message }
    }
}

extension Event {
    public static func subscribed(_ frameworkID: FrameworkID, heartbeatIntervalSeconds: Double = 15,
                                  masterInfo: MasterInfo? = nil) -> Event {
        var event = Event(type: .subscribed)
        event.subscribed = Subscribed(frameworkID: frameworkID, heartbeatIntervalSeconds: heartbeatIntervalSeconds,
                                      masterInfo: masterInfo)
        return event
    }

    public static func offers(_ offers: [Offer]) -> Event {
        var event = Event(type: .offers)
        event.offers = Offers(offers: offers)
        return event
    }

    public static func inverseOffers(_ inverseOffers: [InverseOffer]) -> Event {
        var event = Event(type: .inverseOffers)
        event.inverseOffers = InverseOffers(inverseOffers: inverseOffers)
        return event
    }

    public static func rescind(_ offerID: OfferID) -> Event {
        var event = Event(type: .rescind)
        event.rescind = Rescind(offerID: offerID)
        return event
    }

    public static func rescindInverseOffer(_ inverseOfferID: OfferID) -> Event {
        var event = Event(type: .rescindInverseOffer)
        event.rescindInverseOffer = RescindInverseOffer(inverseOfferID: inverseOfferID)
        return event
    }

    public static func update(_ status: TaskStatus) -> Event {
        var event = Event(type: .update)
        event.update = Update(status: status)
        return event
    }

    public static func failure(agentID: AgentID?, executorID: ExecutorID? = nil, status: Int32? = nil) -> Event {
        var event = Event(type: .failure)
        event.failure = Failure(agentID: agentID, executorID: executorID, status: status)
        return event
    }

    public static func error(_ message: String) -> Event {
        var event = Event(type: .error)
        event.error = Error(message: message)
        return event
    }

    public static func message(agentID: AgentID, executorID: ExecutorID, data: Bytes) -> Event {
        var event = Event(type: .message)
        event.message = Message(agentID: agentID, executorID: executorID, data: data)
        return event
    }

    public static let heartbeat = Event(type: .heartbeat)
}

/// The status of an offer operation (UPDATE_OPERATION_STATUS).
public struct OperationStatus: Codable, Hashable, Sendable {
    public var operationID: OperationID?
    public var state: String
    public var message: String?
    @Repeated public var convertedResources: [Resource]
    public var uuid: UUIDValue?
    public var agentID: AgentID?
    public var resourceProviderID: ResourceProviderID?

    enum CodingKeys: String, CodingKey {
        case operationID = "operation_id", state, message, convertedResources = "converted_resources"
        case uuid, agentID = "agent_id", resourceProviderID = "resource_provider_id"
    }

    public init(operationID: OperationID?, state: String, message: String? = nil,
                convertedResources: [Resource] = [], uuid: UUIDValue? = nil, agentID: AgentID? = nil) {
        self.operationID = operationID
        self.state = state
        self.message = message
        self.convertedResources = convertedResources
        self.uuid = uuid
        self.agentID = agentID
    }

    /// `{"value": "<base64>"}`
    public struct UUIDValue: Codable, Hashable, Sendable {
        public var value: Bytes
        public init(value: Bytes) { self.value = value }
    }
}
