import Foundation
import Testing
@testable import Scheduler

@Suite("Task lifecycle")
struct TaskLifecycleTests {
    func fresh(check: Bool) -> TaskRecord {
        TaskRecord(taskID: "t", slot: SlotID(service: "web", instance: 0), deployID: "d1", agentID: "a", hostname: "a",
                   hasHealthCheck: check, launchedAt: t0)
    }

    func update(_ state: TaskState, healthy: Bool? = nil, at seconds: Double, message: String? = nil) -> TaskUpdate {
        TaskUpdate(taskID: "t", state: state, healthy: healthy, message: message, timestamp: t0.addingTimeInterval(seconds))
    }

    @Test func withACheckTheExecutorDecidesHealth() {
        var task = fresh(check: true)
        task = TaskLifecycle.apply(update(.starting, at: 1), to: task)
        task = TaskLifecycle.apply(update(.running, at: 2), to: task)
        #expect(task.runningSince == t0.addingTimeInterval(2))
        #expect(!task.isHealthy)
        task = TaskLifecycle.apply(update(.running, at: 100), to: task)
        #expect(!task.isHealthy, "no check result yet: not healthy, however long it runs")
        task = TaskLifecycle.apply(update(.running, healthy: true, at: 110), to: task)
        #expect(task.isHealthy)
        #expect(task.healthySince == t0.addingTimeInterval(110))
        task = TaskLifecycle.apply(update(.running, healthy: true, at: 120), to: task)
        #expect(task.healthySince == t0.addingTimeInterval(110), "healthy since the first report")
        task = TaskLifecycle.apply(update(.running, healthy: false, at: 130), to: task)
        #expect(!task.isHealthy)
        #expect(task.healthReported == false)
    }

    @Test func withoutACheckRunningForAWhileIsHealthy() {
        var task = TaskLifecycle.apply(update(.running, at: 10), to: fresh(check: false))
        #expect(!task.isHealthy)
        #expect(TaskLifecycle.settlesAt(task) == t0.addingTimeInterval(15))
        #expect(!TaskLifecycle.settle(task, now: t0.addingTimeInterval(14)).isHealthy)
        task = TaskLifecycle.settle(task, now: t0.addingTimeInterval(16))
        #expect(task.isHealthy)
        #expect(task.healthySince == t0.addingTimeInterval(15))
    }

    @Test func terminalStatesAreFinalAndProgressNeverGoesBack() {
        var task = TaskLifecycle.apply(update(.running, at: 1), to: fresh(check: false))
        task = TaskLifecycle.apply(update(.staging, at: 2), to: task)
        #expect(task.state == .running)
        task = TaskLifecycle.apply(update(.failed, at: 3, message: "exit 1"), to: task)
        #expect(task.state == .failed)
        #expect(task.lastMessage == "exit 1")
        #expect(TaskLifecycle.endedUnexpectedly(task))
        task = TaskLifecycle.apply(update(.running, at: 4), to: task)
        #expect(task.state == .failed)
    }

    @Test func unreachableTasksMayComeBack() {
        var task = TaskLifecycle.apply(update(.running, healthy: true, at: 1), to: fresh(check: true))
        task = TaskLifecycle.apply(update(.unreachable, at: 2), to: task)
        #expect(!task.isActive)
        task = TaskLifecycle.apply(update(.running, healthy: true, at: 3), to: task)
        #expect(task.state == .running)
        #expect(task.isHealthy)
    }

    @Test(arguments: [("TASK_RUNNING", TaskState.running), ("TASK_GONE_BY_OPERATOR", .goneByOperator), ("lost", .lost)])
    func parsesMesosNames(name: String, state: TaskState) {
        #expect(TaskState(mesosName: name) == state)
    }
}

@Suite("Restart backoff")
struct RestartBackoffTests {
    @Test func delaysGrowExponentiallyWithSeededJitterUpToTheCap() {
        let policy = BackoffPolicy(baseSeconds: 5, maxSeconds: 300, jitter: 0.2)
        for failures in 1...10 {
            let raw = min(300, 5 * pow(2, Double(failures - 1)))
            let delay = policy.delay(afterConsecutiveFailures: failures, seed: "web")
            #expect(delay >= raw * 0.8 - 1e-9 && delay <= min(300, raw * 1.2) + 1e-9)
            #expect(delay == policy.delay(afterConsecutiveFailures: failures, seed: "web"), "deterministic")
        }
        let seeds = Set((0..<20).map { policy.delay(afterConsecutiveFailures: 3, seed: "svc-\($0)") })
        #expect(seeds.count > 10, "jitter differs between services")
        #expect(policy.delay(afterConsecutiveFailures: 0, seed: "web") == 0)
    }

    @Test func gateHoldsLaunchesDuringBackoff() {
        let policy = BackoffPolicy(baseSeconds: 10, jitter: 0)
        var record = FailureRecord()
        #expect(LaunchGate.evaluate(service: "web", record: record, now: t0, policy: policy) == .open)
        record.recordFailure(at: t0, message: "exit 1")
        record.recordFailure(at: t0.addingTimeInterval(1), message: "exit 1")
        let gate = LaunchGate.evaluate(service: "web", record: record, now: t0.addingTimeInterval(5), policy: policy)
        #expect(gate == .backoff(until: t0.addingTimeInterval(21), consecutiveFailures: 2))
        #expect(LaunchGate.evaluate(service: "web", record: record, now: t0.addingTimeInterval(21), policy: policy) == .open)
        record.recordHealthy()
        #expect(LaunchGate.evaluate(service: "web", record: record, now: t0.addingTimeInterval(5), policy: policy) == .open)
    }

    @Test func aCrashLoopPutsTheServiceInAVisibleCooldown() {
        let policy = BackoffPolicy(crashLoopFailures: 3, crashLoopWindowSeconds: 60, cooldownSeconds: 600)
        var record = FailureRecord()
        for second in [0.0, 20, 40] { record.recordFailure(at: t0.addingTimeInterval(second), message: "exit 137") }
        let gate = LaunchGate.evaluate(service: "web", record: record, now: t0.addingTimeInterval(50), policy: policy)
        #expect(gate == .cooldown(until: t0.addingTimeInterval(640), reason: "crash loop: 3 failures in 60s, last: exit 137"))
        #expect(gate.blockedUntil == t0.addingTimeInterval(640))
        #expect(LaunchGate.evaluate(service: "web", record: record, now: t0.addingTimeInterval(641), policy: policy) == .open)
        // Spread-out failures are a backoff, not a crash loop.
        let slow = FailureRecord(failures: [t0, t0.addingTimeInterval(100), t0.addingTimeInterval(200)])
        if case .backoff = LaunchGate.evaluate(service: "web", record: slow, now: t0.addingTimeInterval(201), policy: policy) {} else {
            Issue.record("expected a backoff")
        }
    }
}
