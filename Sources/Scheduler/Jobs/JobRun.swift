import Foundation

/// One run (attempt) of a job, as the scheduler remembers it (task history, Mesos labels).
public struct JobRun: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case running, succeeded, failed
    }

    public var taskID: String
    public var agentID: String
    /// The fire time it runs for (Scheduled), or the trigger id's time (OnDemand), or the deploy start (RunOnce).
    public var fireTime: Date
    /// 0 for the first attempt, then 1, 2, ... for retries.
    public var attempt: Int
    public var startedAt: Date
    public var outcome: Outcome
    public var endedAt: Date?

    public init(taskID: String, agentID: String, fireTime: Date, attempt: Int = 0, startedAt: Date, outcome: Outcome = .running, endedAt: Date? = nil) {
        self.taskID = taskID
        self.agentID = agentID
        self.fireTime = fireTime
        self.attempt = attempt
        self.startedAt = startedAt
        self.outcome = outcome
        self.endedAt = endedAt
    }
}

/// Retries and time limit shared by every job kind.
public struct JobPolicy: Sendable, Hashable {
    /// Further attempts after a failed run.
    public var retries: Int
    /// A run still going this long after its start is killed (and counts as failed); nil: no limit.
    public var timeLimitSeconds: Double?
    /// Pause before a retry.
    public var retryDelaySeconds: Double

    public init(retries: Int = 0, timeLimitSeconds: Double? = nil, retryDelaySeconds: Double = 10) {
        self.retries = retries
        self.timeLimitSeconds = timeLimitSeconds
        self.retryDelaySeconds = retryDelaySeconds
    }

    /// The kill a running run deserves now, or nil; and when it will deserve one.
    func timeLimit(of run: JobRun, now: Date) -> (kill: Bool, at: Date?) {
        guard run.outcome == .running, let limit = timeLimitSeconds else { return (false, nil) }
        let at = run.startedAt.addingTimeInterval(limit)
        return (now >= at, at)
    }
}

/// What a job should do now.
public struct JobDecision: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Start a run for this fire time (attempt 0) or retry it (attempt > 0).
        case launch(fireTime: Date, attempt: Int)
        /// Kill a run that exceeded its time limit.
        case kill(taskID: String, agentID: String, reason: KillReason)
    }

    public var actions: [Action]
    /// Evaluate again no later than this (next fire, time limit, retry delay).
    public var nextCheckAt: Date?
    /// Fire times that passed without their own run (downtime, a run still going): they ran once, folded.
    public var foldedFires: Int

    public init(actions: [Action] = [], nextCheckAt: Date? = nil, foldedFires: Int = 0) {
        self.actions = actions
        self.nextCheckAt = nextCheckAt
        self.foldedFires = foldedFires
    }
}

extension Optional where Wrapped == Date {
    /// The earlier of two optional dates.
    func earliest(_ other: Date?) -> Date? {
        switch (self, other) {
        case let (lhs?, rhs?): Swift.min(lhs, rhs)
        case let (lhs?, nil): lhs
        case let (nil, rhs): rhs
        }
    }
}
