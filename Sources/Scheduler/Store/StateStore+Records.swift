import Foundation
import GRDB

/// An expiring override from the command line or the API (`converge scale web 40 --for 2h`).
public struct Override: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case scale, pause, bounce, skipHealthChecks
    }

    public var service: String
    public var kind: Kind
    /// The instance count for `scale`; nil otherwise.
    public var value: Int?
    public var reason: String
    public var createdAt: Date
    /// Nil: until removed.
    public var expiresAt: Date?

    public init(service: String, kind: Kind, value: Int? = nil, reason: String, createdAt: Date, expiresAt: Date?) {
        self.service = service
        self.kind = kind
        self.value = value
        self.reason = reason
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    init?(row: Row) {
        guard let kind = Kind(rawValue: row["kind"]) else { return nil }
        self.init(service: row["service"], kind: kind, value: row["value"], reason: row["reason"],
                  createdAt: Date(timeIntervalSince1970: row["created_at"]),
                  expiresAt: (row["expires_at"] as Double?).map { Date(timeIntervalSince1970: $0) })
    }
}

/// How a deploy went.
public struct DeployHistoryEntry: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case inProgress, succeeded, failed, superseded
    }

    public var service: String
    public var deployID: String
    /// The git revision that asked for it.
    public var revision: String?
    public var startedAt: Date
    public var endedAt: Date?
    public var outcome: Outcome
    public var reason: String?
    /// The canary phase of a deploy that started with one; nil: a plain rolling deploy.
    public var canary: CanaryState?

    public init(service: String, deployID: String, revision: String?, startedAt: Date, endedAt: Date? = nil,
                outcome: Outcome, reason: String? = nil, canary: CanaryState? = nil) {
        self.service = service
        self.deployID = deployID
        self.revision = revision
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.reason = reason
        self.canary = canary
    }

    init?(row: Row) {
        guard let outcome = Outcome(rawValue: row["outcome"]) else { return nil }
        let date = { (column: String) in (row[column] as Double?).map { Date(timeIntervalSince1970: $0) } }
        let canary = (row["canary_phase"] as String?).flatMap(CanaryPhase.init(rawValue:)).map {
            CanaryState(phase: $0, holdStartedAt: date("canary_hold_started_at"), decidedAt: date("canary_decided_at"))
        }
        self.init(service: row["service"], deployID: row["deploy_id"], revision: row["revision"],
                  startedAt: Date(timeIntervalSince1970: row["started_at"]), endedAt: date("ended_at"), outcome: outcome,
                  reason: row["reason"], canary: canary)
    }
}

/// One task's life, for `converge history` and RunOnce/Scheduled bookkeeping across restarts.
public struct TaskHistoryEntry: Sendable, Hashable {
    public var taskID: String
    public var slot: SlotID
    public var deployID: String
    public var agentID: String
    public var state: TaskState
    public var message: String?
    public var killReason: KillReason?
    public var launchedAt: Date
    public var endedAt: Date?

    public init(taskID: String, slot: SlotID, deployID: String, agentID: String, state: TaskState, message: String? = nil,
                killReason: KillReason? = nil, launchedAt: Date, endedAt: Date? = nil) {
        self.taskID = taskID
        self.slot = slot
        self.deployID = deployID
        self.agentID = agentID
        self.state = state
        self.message = message
        self.killReason = killReason
        self.launchedAt = launchedAt
        self.endedAt = endedAt
    }

    init?(row: Row) {
        guard let state = TaskState(rawValue: row["state"]) else { return nil }
        self.init(taskID: row["task_id"], slot: SlotID(service: row["service"], instance: row["instance"]), deployID: row["deploy_id"],
                  agentID: row["agent_id"], state: state, message: row["message"],
                  killReason: (row["kill_reason"] as String?).flatMap(KillReason.init(rawValue:)),
                  launchedAt: Date(timeIntervalSince1970: row["launched_at"]),
                  endedAt: (row["ended_at"] as Double?).map { Date(timeIntervalSince1970: $0) })
    }
}
