/// Places pending tasks on the agents of the current offers: pure, deterministic, never over-commits.
///
/// Tasks are grouped by (service, deploy, requirement). For each group the static checks of the chain run
/// once per distinct constraint set (cached); then every task of the group walks the group's remaining
/// candidates through the dynamic checks and the rankers and takes the best. A candidate that fails a
/// dynamic check is dropped from the group for the rest of the round (such failures are permanent within a
/// round), so full agents stop costing anything.
public struct Placer: Sendable {
    public var chain: PlacementChain
    /// Break score ties by a shuffle seeded from the deploy id (spreads identical deploys differently);
    /// false: by agent order, for tests.
    public var shuffleTies: Bool

    public init(chain: PlacementChain = .standard, shuffleTies: Bool = true) {
        self.chain = chain
        self.shuffleTies = shuffleTies
    }

    /// - Parameters:
    ///   - pending: tasks to place, in priority order.
    ///   - agents: one snapshot per agent and role with what its offers hold.
    ///   - existing: tasks already running or launching, for spread constraints.
    ///   - rackCount: racks of usable agents in the cluster (rack-sensitive shares); nil: the racks seen here.
    public func place(
        _ pending: [PendingTask], on agents: [AgentSnapshot], existing: [ExistingPlacement] = [], rackCount: Int? = nil
    ) -> PlacementResult {
        var round = PlacementRound(chain: chain, agents: agents, existing: existing, rackCount: rackCount, shuffleTies: shuffleTies)
        return round.run(pending)
    }
}
