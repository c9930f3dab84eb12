/// How instances of one service spread over hosts.
public enum Spread: String, Sendable, Hashable, CaseIterable {
    /// The default: a deploy's instances go to hosts (then racks) holding the fewest of them, and only
    /// then does packing decide, so different services still pack densely (Nomad's job anti-affinity).
    case balanced
    /// Pack densely; instances may share a host (a mild preference keeps them apart when packing ties).
    case greedy
    /// At most one instance of a deploy per host.
    case separateHosts
    /// One instance on every eligible agent: at most one per agent, and the instance count follows the agents.
    case spreadAllAgents
}

/// Placement constraints of a service (the manifest's `placement`).
public struct PlacementConstraints: Sendable, Hashable {
    /// Every key must be present with exactly this value.
    public var requiredAttributes: [String: String]
    /// Every key must be present with one of these values.
    public var allowedAttributes: [String: Set<String>]
    public var spread: Spread
    /// Spread instances evenly over the `rack` attribute: no rack holds more than ceil(instances / racks).
    public var rackSensitive: Bool

    public init(
        requiredAttributes: [String: String] = [:], allowedAttributes: [String: Set<String>] = [:],
        spread: Spread = .balanced, rackSensitive: Bool = false
    ) {
        self.requiredAttributes = requiredAttributes
        self.allowedAttributes = allowedAttributes
        self.spread = spread
        self.rackSensitive = rackSensitive
    }
}

/// What one task of a service needs from an agent.
public struct TaskRequirement: Sendable, Hashable {
    public var resources: ResourceAmounts
    /// How many ports to pick from the offered ranges.
    public var portCount: Int
    /// Roles whose resources the task may use; empty: any role.
    public var roles: [String]
    public var constraints: PlacementConstraints

    public init(resources: ResourceAmounts, portCount: Int = 0, roles: [String] = [], constraints: PlacementConstraints = .init()) {
        self.resources = resources
        self.portCount = portCount
        self.roles = roles
        self.constraints = constraints
    }
}

/// A task waiting for a place: one slot of one deploy.
public struct PendingTask: Sendable, Hashable {
    public var slot: SlotID
    public var deployID: String
    public var requirement: TaskRequirement
    /// The service's desired instance count (rack-sensitive spread divides it over the racks).
    public var desiredInstances: Int

    public init(slot: SlotID, deployID: String, requirement: TaskRequirement, desiredInstances: Int) {
        self.slot = slot
        self.deployID = deployID
        self.requirement = requirement
        self.desiredInstances = desiredInstances
    }
}

/// A task that already runs (or is being launched), as far as spreading is concerned.
public struct ExistingPlacement: Sendable, Hashable {
    public var service: String
    public var deployID: String
    public var agentID: String
    public var hostname: String
    public var rack: String?

    public init(service: String, deployID: String, agentID: String, hostname: String, rack: String? = nil) {
        self.service = service
        self.deployID = deployID
        self.agentID = agentID
        self.hostname = hostname
        self.rack = rack
    }
}
