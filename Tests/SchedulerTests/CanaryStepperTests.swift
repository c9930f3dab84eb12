import Foundation
import Manifests
import Testing
@testable import Scheduler

func canaryStep(_ now: Double, phase: CanaryPhase, holdStarted: Double? = nil, tasks: [TaskRecord], instances: Int = 3,
                canaries: Int = 1, hold: Int = 60, autoPromote: Bool = false, deadline: Double = 120,
                blockedUntil: Double? = nil) -> CanaryStepper.Step {
    CanaryStepper.step(.init(
        service: "web", deployID: "d1", settings: CanarySettings(instances: canaries, holdSeconds: hold, autoPromote: autoPromote),
        desiredInstances: instances, healthyDeadlineSeconds: deadline, startedAt: t0,
        state: CanaryState(phase: phase, holdStartedAt: holdStarted.map { t0.addingTimeInterval($0) }),
        tasks: tasks, launchBlockedUntil: blockedUntil.map { t0.addingTimeInterval($0) }, now: t0.addingTimeInterval(now)))
}

@Suite("Canary stepping")
struct CanaryStepperTests {
    @Test func startingLaunchesTheCanariesInTheLowestSlots() {
        let step = canaryStep(0, phase: .starting, tasks: [], canaries: 2)
        #expect(step.launches.map(\.instance) == [0, 1])
        #expect(step.kills.isEmpty)
        #expect(step.state.phase == .starting)
        #expect(step.nextCheckAt == t0.addingTimeInterval(120))
    }

    @Test func canariesNeverOutnumberTheService() {
        #expect(canaryStep(0, phase: .starting, tasks: [], instances: 2, canaries: 5).launches.count == 2)
        #expect(CanaryStepper.count(CanarySettings(instances: 3), desiredInstances: 0) == 1)
    }

    @Test func startingWaitsForHealthThenHolds() {
        let starting = [record(0, "d1", healthy: false, state: .starting)]
        let waiting = canaryStep(10, phase: .starting, tasks: starting)
        #expect(waiting.launches.isEmpty)
        #expect(waiting.state.phase == .starting)

        let healthy = [record(0, "d1", launched: 5, healthyAt: 20)]
        let holding = canaryStep(25, phase: .starting, tasks: healthy, hold: 60)
        #expect(holding.state == CanaryState(phase: .holding, holdStartedAt: t0.addingTimeInterval(20)))
        #expect(holding.holdEndsAt == t0.addingTimeInterval(80))
        #expect(holding.nextCheckAt == t0.addingTimeInterval(80))
    }

    @Test func startingPastTheHealthyDeadlineAborts() {
        let step = canaryStep(121, phase: .starting, tasks: [record(0, "d1", healthy: false, state: .starting)], deadline: 120)
        #expect(step.state.phase == .aborted)
        #expect(step.abortReason == "canary not healthy after 120s: 0 of 1 healthy")
        #expect(step.kills.map(\.reason) == [.canaryAborted])
    }

    @Test func aBackoffHoldsLaunches() {
        let step = canaryStep(0, phase: .starting, tasks: [], blockedUntil: 30)
        #expect(step.launches.isEmpty)
        #expect(step.nextCheckAt == t0.addingTimeInterval(30))
    }

    @Test func holdEndsInWaitingForPromotionOrPromoted() {
        let tasks = [record(0, "d1", healthyAt: 20)]
        #expect(canaryStep(79, phase: .holding, holdStarted: 20, tasks: tasks, hold: 60).state.phase == .holding)
        let waiting = canaryStep(80, phase: .holding, holdStarted: 20, tasks: tasks, hold: 60)
        #expect(waiting.state.phase == .waitingForPromotion)
        #expect(waiting.state.decidedAt == nil)
        let promoted = canaryStep(80, phase: .holding, holdStarted: 20, tasks: tasks, hold: 60, autoPromote: true)
        #expect(promoted.state.phase == .promoted)
        #expect(promoted.state.decidedAt == t0.addingTimeInterval(80))
        // A zero hold goes straight on once the canaries are healthy.
        #expect(canaryStep(25, phase: .starting, tasks: tasks, hold: 0, autoPromote: true).state.phase == .promoted)
    }

    @Test func waitingForPromotionStaysUntilDecided() {
        let step = canaryStep(10_000, phase: .waitingForPromotion, holdStarted: 20, tasks: [record(0, "d1")])
        #expect(step.state.phase == .waitingForPromotion)
        #expect(step.launches.isEmpty && step.kills.isEmpty)
        #expect(step.nextCheckAt == nil)
    }

    @Test func aCrashedCanaryAborts() {
        var crashed = record(0, "d1", healthy: false, state: .failed)
        crashed.lastMessage = "exit status 3"
        let step = canaryStep(40, phase: .holding, holdStarted: 20, tasks: [crashed, record(1, "d1")], canaries: 2)
        #expect(step.state.phase == .aborted)
        #expect(step.abortReason == "canary web-d1-0 ended failed: exit status 3")
        #expect(step.kills.map(\.taskID) == ["web-d1-1"])
        #expect(step.kills.allSatisfy { $0.reason == .canaryAborted })
        // Crashes count while starting too.
        #expect(canaryStep(5, phase: .starting, tasks: [crashed]).state.phase == .aborted)
    }

    @Test func anOOMKilledCanaryAbortsWithItsReason() {
        var oom = record(0, "d1", healthy: false, state: .failed)
        oom.lastReason = "REASON_CONTAINER_LIMITATION_MEMORY"
        let step = canaryStep(40, phase: .waitingForPromotion, holdStarted: 20, tasks: [oom])
        #expect(step.abortReason == "canary web-d1-0 was OOM-killed (memory limit)")
    }

    @Test func aCanaryFailingItsHealthCheckAbortsOnceHealthy() {
        var unhealthy = record(0, "d1", healthy: false)
        unhealthy.lastMessage = "HTTP 500"
        let step = canaryStep(40, phase: .holding, holdStarted: 20, tasks: [unhealthy])
        #expect(step.abortReason == "canary web-d1-0 failed its health check: HTTP 500")
        #expect(step.kills.map(\.taskID) == ["web-d1-0"])
        // While starting, an unhealthy canary is still within its deadline.
        #expect(canaryStep(40, phase: .starting, tasks: [unhealthy]).state.phase == .starting)
    }

    @Test func aKilledCanaryIsNoFailure() {
        var killed = record(0, "d1", healthy: false, state: .killed)
        killed.killRequestedAt = t0
        let step = canaryStep(40, phase: .starting, tasks: [killed])
        #expect(step.state.phase == .starting)
        #expect(step.launches.map(\.instance) == [0])
    }

    @Test func abortedKillsWhatIsLeftAndPromotedDoesNothing() {
        let tasks = [record(0, "d1"), record(1, "d1", healthy: false, state: .staging)]
        #expect(canaryStep(0, phase: .aborted, tasks: tasks).kills.map(\.taskID).sorted() == ["web-d1-0", "web-d1-1"])
        let promoted = canaryStep(0, phase: .promoted, tasks: tasks)
        #expect(promoted.kills.isEmpty && promoted.launches.isEmpty)
    }

    @Test func aPauseTakesTheCanariesAndStartsOver() {
        let step = canaryStep(40, phase: .waitingForPromotion, holdStarted: 20, tasks: [record(0, "d1")], instances: 0)
        #expect(step.kills.map(\.reason) == [.scaleDown])
        #expect(step.state == CanaryState(phase: .starting))
        #expect(step.launches.isEmpty)
    }

    @Test func extraTasksOfTheDeployGo() {
        let tasks = [record(0, "d1", launched: 0), record(0, "d1", launched: 5, id: "dup"), record(2, "d1")]
        let step = canaryStep(30, phase: .starting, tasks: tasks, canaries: 1)
        #expect(step.kills.first { $0.taskID == "web-d1-2" }?.reason == .scaleDown)
        #expect(step.kills.first { $0.taskID == "web-d1-0" }?.reason == .duplicateInSlot)
        #expect(step.state.phase == .holding)
    }
}
