/// Resources on one agent offered to the framework.
public struct Offer: Codable, Hashable, Sendable {
    public var id: OfferID
    public var frameworkID: FrameworkID
    public var agentID: AgentID
    public var hostname: String
    public var url: MesosURL?
    @Repeated public var resources: [Resource]
    @Repeated public var attributes: [Attribute]
    @Repeated public var executorIDs: [ExecutorID]
    /// Set when the agent is scheduled for maintenance.
    public var unavailability: Unavailability?
    public var allocationInfo: Resource.AllocationInfo?

    enum CodingKeys: String, CodingKey {
        case id, frameworkID = "framework_id", agentID = "agent_id", hostname, url, resources, attributes
        case executorIDs = "executor_ids", unavailability, allocationInfo = "allocation_info"
    }

    public init(
        id: OfferID, frameworkID: FrameworkID, agentID: AgentID, hostname: String, url: MesosURL? = nil,
        resources: [Resource] = [], attributes: [Attribute] = [], executorIDs: [ExecutorID] = [],
        unavailability: Unavailability? = nil, allocationInfo: Resource.AllocationInfo? = nil
    ) {
        self.id = id
        self.frameworkID = frameworkID
        self.agentID = agentID
        self.hostname = hostname
        self.url = url
        self.resources = resources
        self.attributes = attributes
        self.executorIDs = executorIDs
        self.unavailability = unavailability
        self.allocationInfo = allocationInfo
    }
}

/// A request to give back resources (maintenance).
public struct InverseOffer: Codable, Hashable, Sendable {
    public var id: OfferID
    public var url: MesosURL?
    public var frameworkID: FrameworkID
    public var agentID: AgentID?
    public var unavailability: Unavailability
    @Repeated public var resources: [Resource]

    enum CodingKeys: String, CodingKey {
        case id, url, frameworkID = "framework_id", agentID = "agent_id", unavailability, resources
    }

    public init(id: OfferID, frameworkID: FrameworkID, agentID: AgentID?, unavailability: Unavailability,
                url: MesosURL? = nil, resources: [Resource] = []) {
        self.id = id
        self.url = url
        self.frameworkID = frameworkID
        self.agentID = agentID
        self.unavailability = unavailability
        self.resources = resources
    }
}

/// How long declined or unused resources are refused: `{"refuse_seconds": 5}` (default 5 s).
public struct Filters: Codable, Hashable, Sendable {
    @LenientOptional public var refuseSeconds: Double?
    enum CodingKeys: String, CodingKey { case refuseSeconds = "refuse_seconds" }
    public init(refuseSeconds: Double?) { self.refuseSeconds = refuseSeconds }
    /// The effective value: unset or negative means the default 5 s; capped at 365 days.
    public var effectiveRefuseSeconds: Double {
        guard let refuseSeconds, refuseSeconds >= 0, !refuseSeconds.isNaN else { return 5 }
        return min(refuseSeconds, 365 * 86400)
    }
}
