import Foundation
import Testing
@testable import Scheduler

@Suite("Jobs")
struct JobTests {
    let minutely = IntervalSchedule(anchor: t0, intervalSeconds: 60)
    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }
    func run(_ fire: Double, attempt: Int = 0, started: Double? = nil, outcome: JobRun.Outcome, ended: Double? = nil, id: String? = nil) -> JobRun {
        JobRun(taskID: id ?? "run-\(Int(fire))-\(attempt)", agentID: "a", fireTime: at(fire), attempt: attempt,
               startedAt: at(started ?? fire), outcome: outcome, endedAt: ended.map(at))
    }
    func decide(runs: [JobRun], now: Double, policy: JobPolicy = JobPolicy(), notBefore: Double = 0) -> JobDecision {
        ScheduledJob.decide(.init(schedule: minutely, policy: policy, runs: runs, notBefore: at(notBefore), now: at(now)))
    }

    @Test func firesOncePerFireTime() {
        #expect(decide(runs: [], now: 30).actions.isEmpty)
        #expect(decide(runs: [], now: 30).nextCheckAt == at(60))
        #expect(decide(runs: [], now: 61).actions == [.launch(fireTime: at(60), attempt: 0)])
        let done = [run(60, outcome: .succeeded, ended: 70)]
        #expect(decide(runs: done, now: 100).actions.isEmpty)
        #expect(decide(runs: done, now: 120).actions == [.launch(fireTime: at(120), attempt: 0)])
    }

    @Test func aNewJobDoesNotCatchUpOnThePast() {
        #expect(decide(runs: [], now: 1000, notBefore: 990).actions.isEmpty)
    }

    @Test func afterDowntimeMissedFiresRunOnce() {
        let runs = [run(60, outcome: .succeeded, ended: 70)]
        let decision = decide(runs: runs, now: 60 * 600 + 5)
        #expect(decision.actions == [.launch(fireTime: at(60 * 600), attempt: 0)])
        #expect(decision.foldedFires == 598)
        #expect(decision.nextCheckAt == at(60 * 601))
    }

    @Test func runsNeverOverlapAndTheTimeLimitKills() {
        let policy = JobPolicy(timeLimitSeconds: 300)
        let running = [run(60, outcome: .running, id: "long")]
        let waiting = decide(runs: running, now: 200, policy: policy)
        #expect(waiting.actions.isEmpty, "the 120 and 180 fires wait for the run")
        #expect(waiting.nextCheckAt == at(240))
        #expect(decide(runs: running, now: 360, policy: policy).actions == [.kill(taskID: "long", agentID: "a", reason: .timeLimit)])
        // It ended: the fires missed meanwhile run once.
        let ended = [run(60, outcome: .failed, ended: 361)]
        #expect(decide(runs: ended, now: 362, policy: policy).actions == [.launch(fireTime: at(360), attempt: 0)])
    }

    @Test func failedRunsAreRetriedUntilTheNextFire() {
        let policy = JobPolicy(retries: 2, retryDelaySeconds: 5)
        let failed = [run(60, outcome: .failed, ended: 70)]
        #expect(decide(runs: failed, now: 72, policy: policy).actions.isEmpty)
        #expect(decide(runs: failed, now: 72, policy: policy).nextCheckAt == at(75))
        #expect(decide(runs: failed, now: 76, policy: policy).actions == [.launch(fireTime: at(60), attempt: 1)])
        let twice = failed + [run(60, attempt: 1, started: 76, outcome: .failed, ended: 80), run(60, attempt: 2, started: 86, outcome: .failed, ended: 90)]
        #expect(decide(runs: twice, now: 100, policy: policy).actions.isEmpty, "retries used up")
        #expect(decide(runs: failed, now: 121, policy: policy).actions == [.launch(fireTime: at(120), attempt: 0)], "a new fire wins")
    }

    @Test func onDemandCapsConcurrentRunsAndQueues() {
        #expect(OnDemandJob.admit(running: 1, queued: 0, instances: 2, queueLimit: 3) == .launch)
        #expect(OnDemandJob.admit(running: 2, queued: 0, instances: 2, queueLimit: 3) == .queued(position: 0))
        #expect(OnDemandJob.admit(running: 1, queued: 1, instances: 2, queueLimit: 3) == .queued(position: 1), "no overtaking")
        #expect(OnDemandJob.admit(running: 2, queued: 3, instances: 2, queueLimit: 3)
            == .rejected(reason: "2 runs going (at most 2) and 3 triggers queued (at most 3)"))
        let queue = [Trigger(id: "b", requestedAt: at(2)), Trigger(id: "a", requestedAt: at(1)), Trigger(id: "c", requestedAt: at(3))]
        #expect(OnDemandJob.dispatch(queue: queue, running: 1, instances: 3).map(\.id) == ["a", "b"])
        #expect(OnDemandJob.dispatch(queue: queue, running: 3, instances: 3).isEmpty)
    }

    @Test func onDemandKillsAtTheTimeLimitAndRetries() {
        let policy = JobPolicy(retries: 1, timeLimitSeconds: 100, retryDelaySeconds: 0)
        let runs = [run(0, outcome: .running, id: "slow"), run(10, outcome: .failed, ended: 20), run(30, started: 30, outcome: .running)]
        let decision = OnDemandJob.maintain(runs: runs, policy: policy, now: at(101))
        #expect(decision.actions == [JobDecision.Action.kill(taskID: "slow", agentID: "a", reason: .timeLimit), .launch(fireTime: at(10), attempt: 1)])
        #expect(decision.nextCheckAt == at(130))
    }

    @Test func runOnceRunsExactlyOncePerDeploy() {
        let policy = JobPolicy(retries: 1, retryDelaySeconds: 0)
        #expect(RunOnceJob.decide(deployStartedAt: t0, runs: [], policy: policy, now: at(1)).0.actions == [.launch(fireTime: t0, attempt: 0)])
        #expect(RunOnceJob.decide(deployStartedAt: t0, runs: [run(0, outcome: .running)], policy: policy, now: at(1)).1 == .running)
        #expect(RunOnceJob.decide(deployStartedAt: t0, runs: [run(0, outcome: .succeeded)], policy: policy, now: at(1)) == (JobDecision(), .succeeded))
        let failed = [run(0, outcome: .failed, ended: 5)]
        #expect(RunOnceJob.decide(deployStartedAt: t0, runs: failed, policy: policy, now: at(6)).0.actions == [.launch(fireTime: t0, attempt: 1)])
        let failedTwice = failed + [run(0, attempt: 1, outcome: .failed, ended: 9)]
        #expect(RunOnceJob.decide(deployStartedAt: t0, runs: failedTwice, policy: policy, now: at(10)).1 == .failed(attempts: 2))
    }
}
