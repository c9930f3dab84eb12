import Foundation

/// One sync of the controller: which revision, when, what the plan was and how it ended.
public struct SyncRecord: Sendable, Equatable {
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// The desired set was handed to the scheduler core and the cluster matches it.
        case synced
        /// Handed over; deploys or scaling still going.
        case progressing
        /// The revision has invalid manifests: rejected whole, the last good revision stays in force.
        case rejected
        /// The source could not be read (unreachable remote, unknown ref): nothing changed on the cluster.
        case failed
        /// Prune safety refused the plan (mass delete); nothing changed.
        case refused
        /// A deploy of this revision failed (its previous deploy keeps running).
        case degraded
    }

    public enum Trigger: String, Sendable, Hashable, CaseIterable {
        case start, poll, webhook, api, watch, drift
    }

    public var id: Int
    public var revision: String?
    public var trigger: Trigger
    public var startedAt: Date
    public var finishedAt: Date?
    public var outcome: Outcome
    /// One line for humans: "2 to create, 1 to deploy", or the first error.
    public var message: String
    /// The plan's counts at the time of the sync.
    public var summary: Plan.Summary?
    /// Validation errors (`file:line:col: path: message`) of a rejected revision, or source errors.
    public var errors: [String]

    public init(id: Int, revision: String?, trigger: Trigger, startedAt: Date, finishedAt: Date? = nil, outcome: Outcome,
                message: String, summary: Plan.Summary? = nil, errors: [String] = []) {
        self.id = id
        self.revision = revision
        self.trigger = trigger
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.message = message
        self.summary = summary
        self.errors = errors
    }
}
