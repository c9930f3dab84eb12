/// Decides what a plan's deletes may do: prune safety of the controller.
///
/// - Pruning off: deleted services are kept as they run (handed to the core unchanged).
/// - Pruning on: deleting every running service, or more than `maxDeleteShare` of them, is refused unless
///   mass deletes are allowed. One delete is always allowed while other services remain, so that a small
///   repository can remove a service without the flag.
public struct PruneGuard: Sendable, Hashable {
    public enum Decision: Sendable, Hashable {
        /// Go ahead; keep these services running as they are (pruning off).
        case proceed(keep: [String])
        case refuse(reason: String)
    }

    public var prune: Bool
    public var maxDeleteShare: Double
    public var allowMassDelete: Bool

    public init(prune: Bool = true, maxDeleteShare: Double = 0.2, allowMassDelete: Bool = false) {
        self.prune = prune
        self.maxDeleteShare = maxDeleteShare
        self.allowMassDelete = allowMassDelete
    }

    /// - Parameters:
    ///   - deletes: the services the plan deletes.
    ///   - running: how many services run now.
    public func decide(deletes: [String], running: Int) -> Decision {
        guard !deletes.isEmpty else { return .proceed(keep: []) }
        guard prune else { return .proceed(keep: deletes.sorted()) }
        guard !allowMassDelete else { return .proceed(keep: []) }
        if deletes.count >= running {
            return .refuse(reason: "the plan deletes all \(running) running services; "
                + "refused (pass --allow-mass-delete if that is intended)")
        }
        let limit = max(1, Int((maxDeleteShare * Double(running)).rounded(.down)))
        if deletes.count > limit {
            let share = Int((Double(deletes.count) / Double(running) * 100).rounded())
            return .refuse(reason: "the plan deletes \(deletes.count) of \(running) running services (\(share) %), "
                + "more than the limit of \(Int((maxDeleteShare * 100).rounded())) %; "
                + "refused (pass --allow-mass-delete if that is intended)")
        }
        return .proceed(keep: [])
    }
}
