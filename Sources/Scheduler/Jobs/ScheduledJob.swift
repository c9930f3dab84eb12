import Foundation

/// Decisions for a Scheduled job: one run per fire time, no overlapping runs, retries, time limit, and after
/// downtime the missed fires run once (for the latest of them), not once per missed fire.
public enum ScheduledJob {
    public struct Input: Sendable {
        public var schedule: any FireSchedule
        public var policy: JobPolicy
        /// The job's runs, newest last (at least the latest fire time's runs; older ones are ignored).
        public var runs: [JobRun]
        /// No fire at or before this time runs (the deploy's start: a new job does not catch up on the past).
        public var notBefore: Date
        public var now: Date

        public init(schedule: any FireSchedule, policy: JobPolicy, runs: [JobRun], notBefore: Date, now: Date) {
            self.schedule = schedule
            self.policy = policy
            self.runs = runs
            self.notBefore = notBefore
            self.now = now
        }
    }

    /// Longest walk through missed fire times (a minutely job down for two months); beyond it, the search
    /// restarts a day before now.
    static let maxFireWalk = 100_000

    public static func decide(_ input: Input) -> JobDecision {
        let latestRun = input.runs.max { ($0.fireTime, $0.attempt) < ($1.fireTime, $1.attempt) }
        let after = max(latestRun?.fireTime ?? input.notBefore, input.notBefore)
        let (due, folded, upcoming) = dueFire(after: after, input: input)

        // A run is going: never overlap; kill it at its time limit.
        if let running = input.runs.first(where: { $0.outcome == .running }) {
            let limit = input.policy.timeLimit(of: running, now: input.now)
            if limit.kill {
                return JobDecision(actions: [.kill(taskID: running.taskID, agentID: running.agentID, reason: .timeLimit)],
                                   nextCheckAt: upcoming)
            }
            return JobDecision(nextCheckAt: limit.at.earliest(upcoming))
        }
        // A newer fire time is due: it wins over any retry of an older one.
        if let due {
            return JobDecision(actions: [.launch(fireTime: due, attempt: 0)], nextCheckAt: upcoming, foldedFires: folded)
        }
        // The latest run failed: retry it while attempts remain and its next fire has not come.
        if let latestRun, latestRun.outcome == .failed, latestRun.attempt < input.policy.retries {
            let retryAt = (latestRun.endedAt ?? latestRun.startedAt).addingTimeInterval(input.policy.retryDelaySeconds)
            if input.now >= retryAt {
                return JobDecision(actions: [.launch(fireTime: latestRun.fireTime, attempt: latestRun.attempt + 1)], nextCheckAt: upcoming)
            }
            return JobDecision(nextCheckAt: Optional(retryAt).earliest(upcoming))
        }
        return JobDecision(nextCheckAt: upcoming)
    }

    /// The latest fire time in (after, now], how many earlier ones it folds, and the first fire after now.
    static func dueFire(after: Date, input: Input) -> (due: Date?, folded: Int, upcoming: Date?) {
        var cursor = after
        var due: Date?
        var count = 0
        var steps = 0
        while let fire = input.schedule.nextFire(after: cursor), fire <= input.now {
            due = fire
            count += 1
            cursor = fire
            steps += 1
            if steps >= maxFireWalk {
                // Far behind: only the latest missed fire matters; find it from a day ago.
                let restart = max(cursor, input.now.addingTimeInterval(-86_400))
                if restart > cursor {
                    cursor = restart
                    steps = 0
                }
            }
        }
        return (due, max(0, count - 1), input.schedule.nextFire(after: input.now))
    }
}
