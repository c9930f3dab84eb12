/// Where one pending task goes, with the exact resources and ports it takes.
public struct Placement: Sendable, Hashable {
    public var slot: SlotID
    public var deployID: String
    public var agentID: String
    public var hostname: String
    /// The role whose resources the task uses.
    public var role: String
    /// Accept all of these together (the agent's offers for that role).
    public var offerIDs: [String]
    public var resources: ResourceAmounts
    /// Port numbers picked from the offered ranges, lowest first.
    public var ports: [Int]
    /// The chosen agent's total score and its parts.
    public var score: Double
    public var scores: [ScoreComponent]
}

/// A task that found no place in this round, and why.
public struct UnplacedTask: Sendable, Hashable {
    public var task: PendingTask
    public var explanation: PendingExplanation
}

/// The outcome of one placement round over the current offers.
public struct PlacementResult: Sendable {
    /// In the order the pending tasks were given.
    public var placements: [Placement]
    public var unplaced: [UnplacedTask]
    /// Offers on which nothing was placed: decline them (with refuse_seconds).
    public var unusedOfferIDs: [String]

    /// Placements grouped per agent and role: one ACCEPT call with a LAUNCH of these tasks each.
    public var launchesByOffers: [(offerIDs: [String], placements: [Placement])] {
        var order: [[String]] = []
        var grouped: [[String]: [Placement]] = [:]
        for placement in placements {
            if grouped[placement.offerIDs] == nil { order.append(placement.offerIDs) }
            grouped[placement.offerIDs, default: []].append(placement)
        }
        return order.map { ($0, grouped[$0]!) }
    }
}
