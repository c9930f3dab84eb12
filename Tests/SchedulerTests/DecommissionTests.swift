import Foundation
import Testing
@testable import Scheduler

@Suite("Agent decommissioning")
struct DecommissionTests {
    let agents = [
        AgentRecord(id: "a1", hostname: "h1", attributes: ["rack": "r7"]),
        AgentRecord(id: "a2", hostname: "h2", attributes: ["rack": "r7"]),
        AgentRecord(id: "a3", hostname: "h3", attributes: ["rack": "r1"]),
    ]

    @Test func selectorsMatchByHostnameOrAllAttributes() {
        #expect(DecommissionSelector(hostname: "h1").matches(hostname: "h1", attributes: [:]))
        #expect(!DecommissionSelector(hostname: "h1").matches(hostname: "h2", attributes: [:]))
        #expect(DecommissionSelector(attributes: ["rack": "r7"]).matches(hostname: "x", attributes: ["rack": "r7", "zone": "a"]))
        #expect(!DecommissionSelector(attributes: ["rack": "r7", "zone": "b"]).matches(hostname: "x", attributes: ["rack": "r7", "zone": "a"]))
        #expect(!DecommissionSelector().matches(hostname: "x", attributes: [:]), "an empty selector matches nothing")
    }

    @Test func limitsAgentsDecommissioningAtOnceAndReplacesTasksElsewhere() {
        let tasks = [record(0, "d1", agent: "a1"), record(1, "d1", agent: "a2"), record(2, "d1", agent: "a3"),
                     record(0, "j1", agent: "a1", id: "job-run", service: "nightly")]
        let plan = DecommissionPlanner.plan(.init(agents: agents, selectors: [DecommissionSelector(attributes: ["rack": "r7"])],
                                                  tasks: tasks, currentDeploys: ["web": "d1"], maxConcurrent: 1))
        #expect(plan.agentStates == ["a1": .decommissioning])
        #expect(plan.waiting == ["a2"])
        #expect(plan.replacements == [.init(slot: SlotID(service: "web", instance: 0), deployID: "d1", replacingTaskID: "web-d1-0")])
        #expect(plan.remainingTasks == ["a1": 2])
    }

    @Test func aSlotWithAReplacementGetsNoSecondOneAndEmptyAgentsAreDecommissioned() {
        var leaving = agents
        leaving[0].state = .decommissioning
        leaving[1].state = .decommissioning
        let tasks = [record(0, "d1", agent: "a1"), record(0, "d1", healthy: false, agent: "a3", id: "replacement")]
        let plan = DecommissionPlanner.plan(.init(agents: leaving, selectors: [DecommissionSelector(attributes: ["rack": "r7"])],
                                                  tasks: tasks, currentDeploys: ["web": "d1"], maxConcurrent: 2))
        #expect(plan.replacements.isEmpty)
        #expect(plan.agentStates == ["a2": .decommissioned])
    }

    @Test func removingTheSelectorBringsAgentsBack() {
        var gone = agents
        gone[0].state = .decommissioned
        gone[1].state = .decommissioning
        let plan = DecommissionPlanner.plan(.init(agents: gone, selectors: [], tasks: [], currentDeploys: [:]))
        #expect(plan.agentStates == ["a1": .active, "a2": .active])
    }

    @Test func inverseOffersCountAsMatching() {
        let tasks = [record(0, "d1", agent: "a3")]
        let plan = DecommissionPlanner.plan(.init(agents: agents, selectors: [], drainingAgentIDs: ["a3"], tasks: tasks, currentDeploys: ["web": "d1"]))
        #expect(plan.agentStates == ["a3": .decommissioning])
        #expect(plan.replacements.map(\.replacingTaskID) == ["web-d1-0"])
        // Empty already: decommissioned in the same plan.
        let empty = DecommissionPlanner.plan(.init(agents: agents, selectors: [], drainingAgentIDs: ["a3"], tasks: [], currentDeploys: [:]))
        #expect(empty.agentStates == ["a3": .decommissioned])
    }

    /// Placement, deploy stepping and decommissioning together, tick by tick: a rack goes away with no loss
    /// of healthy capacity, and its agents end up empty and decommissioned.
    @Test func decommissioningARackKeepsHealthyCapacity() {
        var records = (0..<6).map { AgentRecord(id: "a\($0)", hostname: "h\($0)", attributes: ["rack": $0 < 3 ? "r7" : "r1"]) }
        var tasks: [TaskRecord] = []
        let desired = spec("d1", instances: 6, complete: true)
        var next = 0
        var lowestHealthy = Int.max
        for tick in 0..<60 {
            let now = t0.addingTimeInterval(Double(tick) * 5)
            let leaving = Set(records.filter { $0.state != .active }.map(\.id))
            let decommission = DecommissionPlanner.plan(.init(
                agents: records, selectors: tick >= 10 ? [DecommissionSelector(attributes: ["rack": "r7"])] : [],
                tasks: tasks, currentDeploys: ["web": "d1"], maxConcurrent: 2))
            for (id, state) in decommission.agentStates { records[records.firstIndex { $0.id == id }!].state = state }
            let step = DeployStepper.step(.init(service: "web", desired: desired, tasks: tasks, decommissioningAgents: leaving, now: now))
            for kill in step.kills { tasks[tasks.firstIndex { $0.taskID == kill.taskID }!].killRequestedAt = now }
            if tick >= 10 { lowestHealthy = min(lowestHealthy, tasks.filter(\.isHealthy).count) }
            let launches = step.launches + decommission.replacements.map(\.slot)
            let offers = records.map { AgentSnapshot(id: $0.id, hostname: $0.hostname, attributes: $0.attributes, available: ResourceAmounts(cpus: 8, memMb: 8192), state: $0.state, offerIDs: ["o-\($0.id)"]) }
            let pending = launches.map { PendingTask(slot: $0, deployID: "d1", requirement: TaskRequirement(resources: ResourceAmounts(cpus: 1, memMb: 128)), desiredInstances: 6) }
            let placed = fixedOrder.place(pending, on: offers, existing: [])
            for placement in placed.placements {
                var task = record(placement.slot.instance, "d1", healthy: false, state: .staging, agent: placement.agentID, id: "t\(next)")
                task.launchedAt = now
                tasks.append(task)
                next += 1
            }
            // Tasks start and turn healthy after one tick; killed tasks end.
            for index in tasks.indices {
                if tasks[index].killRequestedAt != nil { tasks[index].state = .killed }
                else if tasks[index].state == .staging, tasks[index].launchedAt < now {
                    tasks[index].state = .running
                    tasks[index].healthySince = now
                }
            }
        }
        #expect(lowestHealthy == 6, "healthy capacity dropped to \(lowestHealthy)")
        #expect(records.filter { $0.attributes["rack"] == "r7" }.allSatisfy { $0.state == .decommissioned })
        #expect(tasks.filter(\.isActive).allSatisfy { ["a3", "a4", "a5"].contains($0.agentID) })
        #expect(tasks.filter(\.isActive).count == 6)
    }
}
