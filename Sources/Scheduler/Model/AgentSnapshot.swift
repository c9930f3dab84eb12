/// Whether an agent may take new tasks.
public enum AgentState: String, Sendable, Hashable, CaseIterable {
    /// Takes new tasks.
    case active
    /// Mesos says the agent goes away soon (offers carry `unavailability`, inverse offers): no new tasks.
    case draining
    /// Converge moves its tasks away (a Maintenance document matches it): no new tasks.
    case decommissioning
    /// Empty and kept empty until the Maintenance entry goes away.
    case decommissioned

    public var acceptsNewTasks: Bool { self == .active }
}

/// What placement knows about one agent: identity, attributes and what its current offers hold.
///
/// Several offers from one agent for the same role are merged into one snapshot (Mesos accepts them
/// together); offers allocated to different roles become separate snapshots of the same agent.
public struct AgentSnapshot: Sendable, Hashable {
    public var id: String
    public var hostname: String
    /// TEXT and SCALAR attributes, scalars written as text (`rack: r1`, `zone: us-east-1a`).
    public var attributes: [String: String]
    /// The role the offered resources are allocated to (`*` when unreserved and single-role).
    public var role: String
    /// Everything the agent has, used to score how full it is; equal to `available` when unknown.
    public var total: ResourceAmounts
    /// What the offers hold right now.
    public var available: ResourceAmounts
    /// Offered port ranges.
    public var ports: [PortRange]
    public var state: AgentState
    /// The offers this snapshot was built from; a launch accepts all of them.
    public var offerIDs: [String]
    /// The agent already runs tasks (ours or others'): packing prefers it, keeping empty agents whole.
    public var runsTasks: Bool

    public init(
        id: String, hostname: String, attributes: [String: String] = [:], role: String = "*",
        total: ResourceAmounts? = nil, available: ResourceAmounts, ports: [PortRange] = [],
        state: AgentState = .active, offerIDs: [String] = [], runsTasks: Bool = false
    ) {
        self.id = id
        self.hostname = hostname
        self.attributes = attributes
        self.role = role
        self.total = total ?? available
        self.available = available
        self.ports = ports
        self.state = state
        self.offerIDs = offerIDs
        self.runsTasks = runsTasks
    }

    /// The agent attribute that rack-sensitive placement spreads over.
    public static let rackAttribute = "rack"

    public var rack: String? { attributes[Self.rackAttribute] }
}
