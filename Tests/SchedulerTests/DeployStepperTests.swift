import Foundation
import Testing
@testable import Scheduler

@Suite("Deploy stepping")
struct DeployStepperTests {
    @Test func firstDeployLaunchesEverySlotAtOnce() {
        let step = stepAt(1, spec("d1", instances: 3), [])
        #expect(step.launchedInstances == [0, 1, 2])
        #expect(step.kills.isEmpty)
        #expect(step.status == .inProgress(healthy: 0, desired: 3))
        #expect(step.nextCheckAt == t0.addingTimeInterval(120))
    }

    @Test func deploySucceedsWhenEverySlotIsHealthyAndNoOldTaskIsLeft() {
        let tasks = (0..<3).map { record($0, "d1") }
        #expect(stepAt(10, spec("d1", instances: 3), tasks).status == .succeeded)
        let withOld = tasks + [record(0, "d0", id: "old-0")]
        let step = stepAt(10, spec("d1", instances: 3), withOld)
        #expect(step.killed(.replacedByDeploy) == ["old-0"])
        #expect(step.status == .inProgress(healthy: 3, desired: 3))
    }

    @Test func rollingDeployStepsOneAtATimeAndKeepsHealthyCapacity() {
        let old = (0..<3).map { record($0, "d0") }
        let desired = spec("d1", instances: 3, step: 1, started: 100)
        // Step 1: one new instance, nothing killed yet.
        let first = stepAt(100, desired, old)
        #expect(first.launchedInstances == [0])
        #expect(first.kills.isEmpty)
        // The new one is starting: no more launches, no kills.
        let starting = old + [record(0, "d1", healthy: false, launched: 101)]
        let waiting = stepAt(105, desired, starting)
        #expect(waiting.launches.isEmpty && waiting.kills.isEmpty)
        // Healthy: the old instance of slot 0 goes and the next step starts.
        let healthy = old + [record(0, "d1", launched: 101, healthyAt: 110)]
        let second = stepAt(111, desired, healthy)
        #expect(second.launchedInstances == [1])
        #expect(second.killed(.replacedByDeploy) == ["web-d0-0"])
    }

    @Test func stepWaitDelaysTheNextStep() {
        let tasks = (0..<3).map { record($0, "d0") } + [record(0, "d1", launched: 101, healthyAt: 110)]
        let desired = spec("d1", instances: 3, step: 1, wait: 30, started: 100)
        let early = stepAt(120, desired, tasks)
        #expect(early.launches.isEmpty)
        #expect(early.status == .waiting(until: t0.addingTimeInterval(140), healthy: 1, desired: 3))
        #expect(early.nextCheckAt == t0.addingTimeInterval(140))
        #expect(stepAt(140, desired, tasks).launchedInstances == [1])
    }

    @Test func stepSizeLaunchesSeveralAtOnce() {
        let old = (0..<5).map { record($0, "d0") }
        #expect(stepAt(0, spec("d1", instances: 5, step: 2), old).launchedInstances == [0, 1])
        #expect(stepAt(0, spec("d1", instances: 5, step: 10), old).launchedInstances == [0, 1, 2, 3, 4])
    }

    @Test func pastTheDeadlineTheDeployFailsAndTheOldOneKeepsRunning() {
        let tasks = (0..<3).map { record($0, "d0") } + [record(0, "d1", launched: 1), record(1, "d1", healthy: false, launched: 2)]
        let step = stepAt(121, spec("d1", instances: 3), tasks)
        #expect(step.status == .failed(reason: "deploy d1 not healthy after 120s: 1 of 3 instances healthy"))
        // The unhealthy one goes now; the healthy one stays until the rollback has the capacity back.
        #expect(step.killed(.deployFailed) == ["web-d1-1"])
        #expect(step.kills.count == 1)
        let rollback = stepAt(125, spec("d0", instances: 3, complete: true), tasks.filter { $0.taskID != "web-d1-1" })
        #expect(rollback.killed(.replacedByDeploy) == ["web-d1-0"])
        #expect(DeployStepper.abandon(deployID: "d1", tasks: tasks, reason: .deployFailed).count == 2)
        #expect(step.launches.isEmpty)
    }

    @Test func aCompleteDeployHasNoDeadline() {
        let tasks = [record(0, "d1"), record(1, "d1", healthy: false)]
        let step = stepAt(10_000, spec("d1", instances: 3, complete: true), tasks)
        #expect(step.launchedInstances == [2])
        #expect(step.kills.isEmpty)
    }

    @Test func aNewerDeploySupersedesOneInProgress() {
        // d0 stable, d1 half done (one healthy, one starting), d2 arrives.
        let tasks = (0..<3).map { record($0, "d0") } + [record(0, "d1", id: "d1-0"), record(1, "d1", healthy: false, id: "d1-1")]
        let step = stepAt(50, spec("d2", instances: 3, started: 50), tasks)
        #expect(step.launchedInstances == [0])
        #expect(step.killed(.unhealthyOldDeploy) == ["d1-1"])
        // 4 healthy old tasks (3 of d0, 1 of d1) for 3 slots: one surplus goes.
        #expect(step.killed(.replacedByDeploy).count == 1)
    }

    @Test func scaleUpDuringADeployIsHonoured() {
        let tasks = (0..<3).map { record($0, "d0") } + (0..<3).map { record($0, "d1") }
        let step = stepAt(10, spec("d1", instances: 5, step: 1), tasks)
        #expect(step.launchedInstances == [3])
        // 6 healthy tasks for 5 slots: one old task is surplus, the highest covered slot.
        #expect(step.killed(.replacedByDeploy) == ["web-d0-2"])
    }

    @Test func scaleDownDuringADeployIsHonoured() {
        let tasks = (0..<3).map { record($0, "d0") } + [record(0, "d1")]
        let step = stepAt(10, spec("d1", instances: 1), tasks)
        #expect(step.launches.isEmpty)
        #expect(step.killed(.replacedByDeploy) == ["web-d0-0", "web-d0-1", "web-d0-2"])
    }

    @Test func scaleDownKillsHighestInstancesAndDecommissioningAgentsFirst() {
        let tasks = (0..<5).map { record($0, "d1", agent: $0 == 1 ? "leaving" : nil) }
        let plain = stepAt(10, spec("d1", instances: 3, complete: true), tasks)
        #expect(plain.killed(.scaleDown) == ["web-d1-3", "web-d1-4"])
        let decommissioning = stepAt(10, spec("d1", instances: 3, complete: true), tasks, decommissioning: ["leaving"])
        #expect(decommissioning.killed(.scaleDown) == ["web-d1-1", "web-d1-4"])
        // Scale up again fills the lowest free instance numbers.
        let survivors = tasks.filter { $0.slot.instance != 1 && $0.slot.instance != 4 }
        #expect(stepAt(20, spec("d1", instances: 5, complete: true), survivors).launchedInstances == [1, 4])
    }

    @Test func duplicatesInASlotGoOnceOneIsHealthy() {
        let original = record(0, "d1", agent: "leaving", launched: 0, id: "orig")
        let startingReplacement = record(0, "d1", healthy: false, agent: "new", launched: 50, id: "repl")
        let both = stepAt(60, spec("d1", instances: 1, complete: true), [original, startingReplacement], decommissioning: ["leaving"])
        // The original is healthy but leaving: the replacement may start; nothing killed, nothing launched.
        #expect(both.kills.isEmpty)
        #expect(both.launches.isEmpty)
        // Without decommissioning, a starting duplicate next to a healthy task is surplus.
        let surplus = stepAt(60, spec("d1", instances: 1, complete: true), [original, startingReplacement])
        #expect(surplus.killed(.duplicateInSlot) == ["repl"])
        let healthyReplacement = record(0, "d1", agent: "new", launched: 50, id: "repl")
        let done = stepAt(70, spec("d1", instances: 1, complete: true), [original, healthyReplacement], decommissioning: ["leaving"])
        #expect(done.killed(.duplicateInSlot) == ["orig"])
        #expect(done.launches.isEmpty)
    }

    @Test func backoffHoldsLaunches() {
        let step = stepAt(10, spec("d1", instances: 2, complete: true), [record(0, "d1")], blockedUntil: 40)
        #expect(step.launches.isEmpty)
        #expect(step.status == .waiting(until: t0.addingTimeInterval(40), healthy: 1, desired: 2))
        #expect(stepAt(40, spec("d1", instances: 2, complete: true), [record(0, "d1")], blockedUntil: 40).launchedInstances == [1])
    }

    @Test func killedAndEndedTasksDoNotCount() {
        var killing = record(0, "d1")
        killing.killRequestedAt = t0
        let ended = record(1, "d1", state: .failed)
        let step = stepAt(10, spec("d1", instances: 2, complete: true), [killing, ended])
        #expect(step.launchedInstances == [0, 1])
    }
}
