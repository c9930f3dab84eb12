/// Feasibility checks and rankers, composed in this one place.
///
/// Static checks look only at the agent and the task's constraints, so their result is computed once per
/// distinct constraint set and cached. Dynamic checks look at what this placement run already used; their
/// failures are permanent within a run (resources only shrink, counts only grow), so a rejected agent is
/// dropped from that group's candidates for good.
public enum FeasibilityCheck: Sendable, Hashable, CaseIterable {
    case agentState, role, requiredAttributes, allowedAttributes, rackAttribute
    case cpus, mem, disk, ports, separateHosts, spreadAllAgents, rackBalance
}

/// Scores a feasible agent; the chosen agent has the highest weighted sum.
public enum Ranker: String, Sendable, Hashable, CaseIterable {
    /// How full the agent is after the task (mean of cpu and mem fractions): packs densely.
    case binPack
    /// 1 when the agent already runs tasks: keeps empty agents whole for big tasks and for scale-in.
    case agentInUse
    /// Minus the share of the deploy's instances already on the host (greedy only): spreads among equals.
    case serviceAntiAffinity
    /// Minus the deploy's instances already on the host, each counting for more than any number on its
    /// rack, plus those on its rack (balanced only). Weighted so that one instance more outweighs the
    /// whole packing score: instances spread over hosts, then racks, and packing only breaks ties.
    case instanceSpread
    /// 1 minus how full the rack's share is (rackSensitive only): fills racks evenly.
    case rackSpread
}

public struct PlacementChain: Sendable {
    /// Checks that depend only on agent and constraints, in order.
    public var staticChecks: [FeasibilityCheck]
    /// Checks that depend on what this run has used, in order.
    public var dynamicChecks: [FeasibilityCheck]
    /// Rankers with their weights.
    public var rankers: [(Ranker, Double)]

    /// The standard chain.
    public static let standard = PlacementChain(
        staticChecks: [
            .agentState,          // first: draining and decommissioning agents take nothing, whatever fits
            .role,                // resources of a role the task may not use are not there for it
            .requiredAttributes,  // exact attribute matches (cheap dictionary lookups)
            .allowedAttributes,   // attribute value sets
            .rackAttribute,       // rack-sensitive tasks need to know the agent's rack
        ],
        dynamicChecks: [
            .cpus, .mem, .disk,   // the usual exhaustion, cheapest first
            .ports,               // port count from the remaining ranges
            .separateHosts,       // spread constraints after resources: a full agent is reported as full
            .spreadAllAgents,
            .rackBalance,         // last: it depends on the racks of every previous placement
        ],
        rankers: [
            (.binPack, 1.0),
            (.agentInUse, 0.5),
            (.serviceAntiAffinity, 0.5),
            (.instanceSpread, 2.0),   // > binPack + agentInUse (at most 1.5): spreading comes first
            (.rackSpread, 1.0),
        ]
    )

    func weight(of ranker: Ranker) -> Double {
        rankers.first { $0.0 == ranker }?.1 ?? 0
    }
}

extension FeasibilityCheck {
    var reason: RejectionReason {
        switch self {
        case .agentState: .agentNotActive
        case .role: .role
        case .requiredAttributes: .requiredAttributes
        case .allowedAttributes: .allowedAttributes
        case .rackAttribute: .missingRack
        case .cpus: .cpus
        case .mem: .mem
        case .disk: .disk
        case .ports: .ports
        case .separateHosts: .separateHosts
        case .spreadAllAgents: .spreadAllAgents
        case .rackBalance: .rackFull
        }
    }

    /// Whether the check has anything to say for tasks with this requirement (skipped otherwise).
    func applies(to requirement: TaskRequirement) -> Bool {
        switch self {
        case .agentState, .cpus, .mem, .disk: true
        case .role: !requirement.roles.isEmpty
        case .requiredAttributes: !requirement.constraints.requiredAttributes.isEmpty
        case .allowedAttributes: !requirement.constraints.allowedAttributes.isEmpty
        case .rackAttribute, .rackBalance: requirement.constraints.rackSensitive
        case .ports: requirement.portCount > 0
        case .separateHosts: requirement.constraints.spread == .separateHosts
        case .spreadAllAgents: requirement.constraints.spread == .spreadAllAgents
        }
    }

    /// Static checks: nil when the agent passes, else the rejection with the failing constraint.
    func rejection(of agent: AgentSnapshot, for requirement: TaskRequirement) -> Rejection? {
        let constraints = requirement.constraints
        switch self {
        case .agentState:
            return agent.state.acceptsNewTasks ? nil : Rejection(.agentNotActive, detail: "(\(agent.state.rawValue))")
        case .role:
            return requirement.roles.contains(agent.role) ? nil : Rejection(.role, detail: agent.role)
        case .requiredAttributes:
            for key in constraints.requiredAttributes.keys.sorted() where agent.attributes[key] != constraints.requiredAttributes[key] {
                return Rejection(.requiredAttributes, detail: "\(key)=\(constraints.requiredAttributes[key]!)")
            }
            return nil
        case .allowedAttributes:
            for key in constraints.allowedAttributes.keys.sorted() {
                let allowed = constraints.allowedAttributes[key]!
                guard let value = agent.attributes[key], allowed.contains(value) else {
                    return Rejection(.allowedAttributes, detail: "\(key) in [\(allowed.sorted().joined(separator: ","))]")
                }
            }
            return nil
        case .rackAttribute:
            return agent.rack == nil ? Rejection(.missingRack) : nil
        case .cpus, .mem, .disk, .ports, .separateHosts, .spreadAllAgents, .rackBalance:
            return nil
        }
    }
}
