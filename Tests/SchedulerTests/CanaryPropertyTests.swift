import Foundation
import Manifests
import Testing
@testable import Scheduler

/// Canary deploys simulated tick by tick with seeded randomness, composed as the driver composes them: the
/// old deploy stepped as complete over every task but the canaries, the canaries by `CanaryStepper`.
/// Old tasks and canaries crash at random; some canaries are aborted by hand.
@Suite("Canary stepping: properties")
struct CanaryPropertyTests {
    @Test(arguments: 0..<300)
    func canaryKeepsTheOldDeployAndAbortRestoresIt(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &+ 7000)
        let instances = Int(random.next() % 6) + 1
        let settings = CanarySettings(instances: Int(random.next() % 3) + 1, holdSeconds: Int(random.next() % 4) * 20,
                                      autoPromote: random.next() % 2 == 0)
        let crashChance = random.nextUnit() * 0.05
        let healthyChance = random.nextUnit() * 0.5 + 0.3
        let abortAt = random.next() % 3 == 0 ? Double(random.next() % 200) : nil
        var tasks = (0..<instances).map { record($0, "d0") }
        var canary = CanaryState(phase: .starting)
        var next = 0
        var now = 0.0
        var abortedAt: Double?
        while now <= 600 {
            if let at = abortAt, now >= at, canary.isUndecided {
                canary = CanaryState(phase: .aborted, decidedAt: t0.addingTimeInterval(now))
            }
            if canary.phase == .promoted { break }
            let undecided = canary.isUndecided
            let old = DeployStepper.step(.init(
                service: "web", desired: spec("d0", instances: instances, complete: true),
                tasks: canary.phase == .aborted ? tasks : tasks.filter { $0.deployID != "d1" }, now: t0.addingTimeInterval(now)))
            let step = CanaryStepper.step(.init(
                service: "web", deployID: "d1", settings: settings, desiredInstances: instances, healthyDeadlineSeconds: 120,
                startedAt: t0, state: canary, tasks: tasks.filter { $0.deployID == "d1" }, now: t0.addingTimeInterval(now)))
            canary = step.state
            if canary.phase == .aborted, abortedAt == nil { abortedAt = now }

            let healthyOldBefore = tasks.filter { $0.deployID == "d0" && $0.isHealthy }.count
            let killed = Set((old.kills + step.kills).map(\.taskID))
            for index in tasks.indices where killed.contains(tasks[index].taskID) {
                tasks[index].killRequestedAt = t0.addingTimeInterval(now)
            }
            let healthyOld = tasks.filter { $0.deployID == "d0" && $0.isHealthy }.count
            if undecided {
                // Capacity is added, never taken: no healthy old task is killed while the canary is undecided.
                #expect(healthyOld == healthyOldBefore, "seed \(seed) t=\(now): a healthy old task was killed during the canary")
                #expect(healthyOld >= min(instances, healthyOldBefore))
                #expect(tasks.filter { $0.deployID == "d1" && $0.isActive }.count
                        <= CanaryStepper.count(settings, desiredInstances: instances))
            }
            for slot in old.launches {
                tasks.append(record(slot.instance, "d0", healthy: false, state: .staging, launched: now, id: "o\(next)"))
                next += 1
            }
            for slot in step.launches {
                tasks.append(record(slot.instance, "d1", healthy: false, state: .staging, launched: now, id: "c\(next)"))
                next += 1
            }
            now += 5
            for index in tasks.indices {
                if tasks[index].killRequestedAt != nil, tasks[index].state.isLive {
                    tasks[index].state = .killed
                } else if tasks[index].state.isLive {
                    let roll = random.nextUnit()
                    // After an abort the world calms down: the old deploy must come back to its full count.
                    if abortedAt == nil, roll < crashChance {
                        tasks[index].state = .failed
                        tasks[index].healthySince = nil
                    } else if !tasks[index].isHealthy, roll < crashChance + healthyChance {
                        tasks[index].state = .running
                        tasks[index].healthySince = t0.addingTimeInterval(now)
                    }
                }
            }
            if let abortedAt, now - abortedAt > 120 { break }
        }
        if abortedAt != nil {
            // Abort always restores the previous deploy's full count, and no canary is left.
            #expect(tasks.filter { $0.deployID == "d0" && $0.isHealthy }.count == instances,
                    "seed \(seed): the old deploy did not come back to \(instances)")
            #expect(!tasks.contains { $0.deployID == "d1" && $0.isActive })
        } else {
            #expect(canary.phase == .promoted || canary.phase == .waitingForPromotion || canary.phase == .holding,
                    "seed \(seed): ended \(canary.phase)")
        }
    }
}
