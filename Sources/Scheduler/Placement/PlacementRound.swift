/// The mutable state of one `Placer.place` call.
struct PlacementRound {
    struct GroupKey: Hashable {
        var service: String
        var deployID: String
        var requirement: TaskRequirement
        var desiredInstances: Int
    }

    struct StaticKey: Hashable {
        var roles: [String]
        var required: [String: String]
        var allowed: [String: Set<String>]
        var rackSensitive: Bool
    }

    struct StaticOutcome {
        var candidates: [Int32]
        var rejections: [Rejection: Int]
    }

    struct SpreadKey: Hashable {
        var service: String
        var deployID: String
    }

    let chain: PlacementChain
    let agents: [AgentSnapshot]
    let shuffleTies: Bool
    let rackCount: Int
    var table: PlacementTable
    var staticCache: [StaticKey: StaticOutcome] = [:]
    /// Instances per deploy (spread slot) on each host, agent and rack: flat arrays, `slot * stride + index`.
    var spreadIndex: [SpreadKey: Int] = [:]
    var hostCounts: [Int32] = []
    var agentCounts: [Int32] = []
    var rackCounts: [Int32] = []
    let hostStride: Int
    let agentStride: Int
    let rackStride: Int
    var pendingExisting: [SpreadKey: [ExistingPlacement]]

    /// A fixed pseudo-random key per agent; XOR with the deploy's seed orders ties differently per deploy.
    let agentTies: [UInt64]
    let binPackWeight: Double
    let inUseWeight: Double
    let antiAffinityWeight: Double
    let instanceSpreadWeight: Double
    let rackSpreadWeight: Double
    /// More than a deploy can have on one rack: one instance on a host outweighs any count on a rack.
    var hostOverRack: Double

    init(chain: PlacementChain, agents: [AgentSnapshot], existing: [ExistingPlacement], rackCount: Int?, shuffleTies: Bool) {
        self.chain = chain
        self.agents = agents
        self.shuffleTies = shuffleTies
        var table = PlacementTable(agents: agents)
        for placement in existing {
            if let rack = placement.rack { _ = PlacementTable.intern(rack, in: &table.rackIndex) }
        }
        self.table = table
        hostStride = table.hostIndex.count
        agentStride = table.agentIndex.count
        rackStride = max(1, table.rackIndex.count)
        self.rackCount = max(1, rackCount ?? table.rackIndex.count)
        pendingExisting = Dictionary(grouping: existing) { SpreadKey(service: $0.service, deployID: $0.deployID) }
        var generator = SeededGenerator(seed: 0x5EED)
        agentTies = agents.map { _ in generator.next() }
        binPackWeight = chain.weight(of: .binPack)
        inUseWeight = chain.weight(of: .agentInUse)
        antiAffinityWeight = chain.weight(of: .serviceAntiAffinity)
        instanceSpreadWeight = chain.weight(of: .instanceSpread)
        hostOverRack = Double(existing.count + 1)
        rackSpreadWeight = chain.weight(of: .rackSpread)
    }

    mutating func run(_ pending: [PendingTask]) -> PlacementResult {
        var groupOf: [GroupKey: Int] = [:]
        var groups: [[Int]] = []
        for (index, task) in pending.enumerated() {
            let key = GroupKey(service: task.slot.service, deployID: task.deployID, requirement: task.requirement, desiredInstances: task.desiredInstances)
            if let group = groupOf[key] {
                groups[group].append(index)
            } else {
                groupOf[key] = groups.count
                groups.append([index])
            }
        }
        hostOverRack += Double(pending.count)
        var placedAt = [Placement?](repeating: nil, count: pending.count)
        var unplacedAt = [PendingExplanation?](repeating: nil, count: pending.count)
        for members in groups {
            placeGroup(members, of: pending, placed: &placedAt, unplaced: &unplacedAt)
        }
        var placements: [Placement] = []
        placements.reserveCapacity(pending.count)
        var unplaced: [UnplacedTask] = []
        for index in pending.indices {
            if let placement = placedAt[index] {
                placements.append(placement)
            } else if let explanation = unplacedAt[index] {
                unplaced.append(UnplacedTask(task: pending[index], explanation: explanation))
            }
        }
        var used = Set<String>()
        for placement in placements { used.formUnion(placement.offerIDs) }
        var unused: [String] = []
        for agent in agents { unused.append(contentsOf: agent.offerIDs.filter { !used.contains($0) }) }
        return PlacementResult(placements: placements, unplaced: unplaced, unusedOfferIDs: unused)
    }

    // MARK: - Caches

    /// Static checks for a constraint set, computed once per round.
    mutating func staticOutcome(for requirement: TaskRequirement) -> StaticOutcome {
        let key = StaticKey(
            roles: requirement.roles, required: requirement.constraints.requiredAttributes,
            allowed: requirement.constraints.allowedAttributes, rackSensitive: requirement.constraints.rackSensitive
        )
        if let cached = staticCache[key] { return cached }
        let checks = chain.staticChecks.filter { $0.applies(to: requirement) }
        var candidates: [Int32] = []
        candidates.reserveCapacity(agents.count)
        var rejections: [Rejection: Int] = [:]
        for (index, agent) in agents.enumerated() {
            if let rejection = checks.lazy.compactMap({ $0.rejection(of: agent, for: requirement) }).first {
                rejections[rejection, default: 0] += 1
            } else {
                candidates.append(Int32(index))
            }
        }
        let outcome = StaticOutcome(candidates: candidates, rejections: rejections)
        staticCache[key] = outcome
        return outcome
    }

    /// The spread counts of a deploy, seeded from its existing tasks on first use.
    mutating func spreadCounts(service: String, deployID: String) -> Int {
        let key = SpreadKey(service: service, deployID: deployID)
        if let index = spreadIndex[key] { return index }
        let slot = spreadIndex.count
        spreadIndex[key] = slot
        hostCounts.append(contentsOf: repeatElement(0, count: hostStride))
        agentCounts.append(contentsOf: repeatElement(0, count: agentStride))
        rackCounts.append(contentsOf: repeatElement(0, count: rackStride))
        for placement in pendingExisting[key] ?? [] {
            if let host = table.hostIndex[placement.hostname] { hostCounts[slot * hostStride + Int(host)] += 1 }
            if let agent = table.agentIndex[placement.agentID] { agentCounts[slot * agentStride + Int(agent)] += 1 }
            if let rack = placement.rack, let index = table.rackIndex[rack] { rackCounts[slot * rackStride + Int(index)] += 1 }
        }
        return slot
    }
}

extension FeasibilityCheck {
    /// Position in `allCases`, for counting arrays.
    var ordinal: Int {
        switch self {
        case .agentState: 0
        case .role: 1
        case .requiredAttributes: 2
        case .allowedAttributes: 3
        case .rackAttribute: 4
        case .cpus: 5
        case .mem: 6
        case .disk: 7
        case .ports: 8
        case .separateHosts: 9
        case .spreadAllAgents: 10
        case .rackBalance: 11
        }
    }
}
