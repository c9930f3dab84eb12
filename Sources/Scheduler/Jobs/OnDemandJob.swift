import Foundation

/// A request to run an OnDemand job, with optional extra arguments and environment.
public struct Trigger: Sendable, Hashable {
    public var id: String
    public var arguments: [String]
    public var environment: [String: String]
    public var requestedAt: Date

    public init(id: String, arguments: [String] = [], environment: [String: String] = [:], requestedAt: Date) {
        self.id = id
        self.arguments = arguments
        self.environment = environment
        self.requestedAt = requestedAt
    }
}

/// Decisions for an OnDemand job: at most `instances` runs at once; more triggers wait in a bounded queue.
public enum OnDemandJob {
    public enum Admission: Sendable, Hashable {
        /// Run it now.
        case launch
        /// Wait: `position` triggers are ahead of it (0: next).
        case queued(position: Int)
        case rejected(reason: String)
    }

    /// What happens to a new trigger.
    public static func admit(running: Int, queued: Int, instances: Int, queueLimit: Int) -> Admission {
        if queued == 0, running < max(1, instances) { return .launch }
        if queued < queueLimit { return .queued(position: queued) }
        return .rejected(reason: "\(running) runs going (at most \(max(1, instances))) and \(queued) triggers queued (at most \(queueLimit))")
    }

    /// Queued triggers to start now, oldest first, filling the free run slots.
    public static func dispatch(queue: [Trigger], running: Int, instances: Int) -> [Trigger] {
        let free = max(0, max(1, instances) - running)
        return Array(queue.sorted { ($0.requestedAt, $0.id) < ($1.requestedAt, $1.id) }.prefix(free))
    }

    /// Runs past their time limit to kill, and failed runs to retry (as a new run of the same trigger).
    public static func maintain(runs: [JobRun], policy: JobPolicy, now: Date) -> JobDecision {
        var decision = JobDecision()
        for run in runs where run.outcome == .running {
            let limit = policy.timeLimit(of: run, now: now)
            if limit.kill {
                decision.actions.append(.kill(taskID: run.taskID, agentID: run.agentID, reason: .timeLimit))
            } else {
                decision.nextCheckAt = decision.nextCheckAt.earliest(limit.at)
            }
        }
        // The newest attempt per fire time (trigger) decides whether to retry.
        let latest = Dictionary(grouping: runs, by: \.fireTime).compactMap { $0.value.max { $0.attempt < $1.attempt } }
        for run in latest.sorted(by: { $0.fireTime < $1.fireTime }) where run.outcome == .failed && run.attempt < policy.retries {
            let retryAt = (run.endedAt ?? run.startedAt).addingTimeInterval(policy.retryDelaySeconds)
            if now >= retryAt {
                decision.actions.append(.launch(fireTime: run.fireTime, attempt: run.attempt + 1))
            } else {
                decision.nextCheckAt = decision.nextCheckAt.earliest(retryAt)
            }
        }
        return decision
    }
}

/// Decisions for a RunOnce job: exactly one successful run per deploy (retries on failure), also across
/// scheduler restarts, because `runs` come from the task history and the master's labels, not from memory.
public enum RunOnceJob {
    public enum Status: Sendable, Hashable {
        case pending, running, succeeded
        case failed(attempts: Int)
    }

    /// - Parameter runs: every run of this deploy (any other deploy's runs must not be passed).
    public static func decide(deployStartedAt: Date, runs: [JobRun], policy: JobPolicy, now: Date) -> (JobDecision, Status) {
        if runs.contains(where: { $0.outcome == .succeeded }) { return (JobDecision(), .succeeded) }
        if let running = runs.first(where: { $0.outcome == .running }) {
            let limit = policy.timeLimit(of: running, now: now)
            if limit.kill {
                return (JobDecision(actions: [.kill(taskID: running.taskID, agentID: running.agentID, reason: .timeLimit)]), .running)
            }
            return (JobDecision(nextCheckAt: limit.at), .running)
        }
        guard let last = runs.max(by: { $0.attempt < $1.attempt }) else {
            return (JobDecision(actions: [.launch(fireTime: deployStartedAt, attempt: 0)]), .pending)
        }
        guard last.attempt < policy.retries else { return (JobDecision(), .failed(attempts: last.attempt + 1)) }
        let retryAt = (last.endedAt ?? last.startedAt).addingTimeInterval(policy.retryDelaySeconds)
        if now >= retryAt {
            return (JobDecision(actions: [.launch(fireTime: deployStartedAt, attempt: last.attempt + 1)]), .pending)
        }
        return (JobDecision(nextCheckAt: retryAt), .pending)
    }
}
