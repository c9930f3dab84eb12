import Foundation
import Testing
@testable import Scheduler

/// Rolling deploys simulated tick by tick with seeded randomness: new tasks turn healthy, fail or hang,
/// instances change mid-deploy; the invariants are checked after every step.
@Suite("Deploy stepping: properties")
struct DeployPropertyTests {
    @Test(arguments: 0..<300)
    func rollingDeployInvariants(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &+ 1000)
        let oldCount = Int(random.next() % 8) + 1
        var instances = Int(random.next() % 8) + 1
        var desired = spec("d1", instances: instances, step: Int(random.next() % 3) + 1, wait: Double(random.next() % 3) * 10,
                           deadline: Double(random.next() % 300) + 100)
        let healthyChance = random.nextUnit() * 0.5 + 0.2
        let failChance = random.nextUnit() * 0.1
        var tasks = (0..<oldCount).map { record($0, "d0") }
        var next = 0
        var finished = false
        var rolledBack = false
        var now = 0.0
        while now <= 800, !finished {
            if random.next() % 40 == 0 {
                instances = Int(random.next() % 8) + 1
                desired.instances = instances
            }
            let step = DeployStepper.step(.init(service: "web", desired: desired, tasks: tasks, now: t0.addingTimeInterval(now)))
            // Kills take effect right away (the worst case for capacity).
            let healthyBefore = tasks.filter(\.isHealthy).count
            let killed = Set(step.kills.map(\.taskID))
            #expect(killed.count == step.kills.count, "a task killed twice in one step")
            for index in tasks.indices where killed.contains(tasks[index].taskID) {
                tasks[index].killRequestedAt = t0.addingTimeInterval(now)
            }
            let healthyOld = tasks.filter { $0.deployID == "d0" && $0.isHealthy }.count
            let healthyNew = tasks.filter { $0.deployID == "d1" && $0.isHealthy }.count
            // Kills never take the healthy total below the old deploy's capacity (or below what there was).
            let floor = min(instances, oldCount, healthyBefore)
            #expect(healthyOld + healthyNew >= floor, "seed \(seed) t=\(now): healthy \(healthyOld)+\(healthyNew) below floor \(floor)")
            if case .failed = step.status {
                #expect(!rolledBack, "one failure only")
                #expect(tasks.filter { $0.deployID == "d1" && $0.isActive }.allSatisfy { $0.isHealthy })
                // Roll back: the previous deploy, stepped as complete, takes over again.
                desired = spec("d0", instances: instances, complete: true)
                rolledBack = true
            }
            if step.status == .succeeded {
                #expect(tasks.filter(\.isActive).allSatisfy { $0.deployID == desired.deployID && $0.isHealthy })
                #expect(tasks.filter(\.isActive).count == instances)
                finished = true
            }
            // Launches go to free slots only: at most one active task of the deploy per slot.
            let occupied = Set(tasks.filter { $0.deployID == desired.deployID && $0.isActive }.map(\.slot.instance))
            #expect(Set(step.launchedInstances).count == step.launches.count)
            #expect(occupied.isDisjoint(with: step.launchedInstances))
            for slot in step.launches {
                tasks.append(record(slot.instance, desired.deployID, healthy: false, state: .staging, launched: now, id: "n\(next)"))
                next += 1
            }
            let perSlot = Dictionary(grouping: tasks.filter { $0.deployID == desired.deployID && $0.isActive }, by: \.slot.instance)
            #expect(perSlot.values.allSatisfy { $0.count == 1 })
            // In a rolling deploy no more than a step is ever starting at once.
            if !rolledBack, tasks.contains(where: { $0.deployID == "d0" && $0.isActive }) {
                #expect(tasks.filter { $0.deployID == "d1" && $0.isActive && !$0.isHealthy }.count <= desired.stepSize)
            }
            // The world moves on: new tasks start, turn healthy or fail; killed tasks end.
            now += 5
            for index in tasks.indices {
                if tasks[index].killRequestedAt != nil, tasks[index].state.isLive {
                    tasks[index].state = .killed
                } else if tasks[index].state.isLive, !tasks[index].isHealthy {
                    let roll = random.nextUnit()
                    if roll < failChance {
                        tasks[index].state = .failed
                    } else if roll < failChance + healthyChance {
                        tasks[index].state = .running
                        tasks[index].healthySince = t0.addingTimeInterval(now)
                    }
                }
            }
        }
        #expect(finished, "seed \(seed): the deploy neither succeeded nor failed")
    }
}
