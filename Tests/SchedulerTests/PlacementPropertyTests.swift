import Testing
@testable import Scheduler

/// Random but seeded clusters and workloads; every case checks the invariants placement promises.
@Suite("Placement: properties")
struct PlacementPropertyTests {
    static func randomCluster(_ random: inout SeededGenerator) -> [AgentSnapshot] {
        let count = Int(random.next() % 30) + 1
        return (0..<count).map { index in
            let host = "h\(Int(random.next() % UInt64(max(1, count - 3))))"   // some hosts carry two agents
            let states: [AgentState] = [.active, .active, .active, .active, .draining, .decommissioning]
            let begin = 31000 + Int(random.next() % 50)
            return AgentSnapshot(
                id: "a\(index)", hostname: host,
                attributes: ["rack": "r\(random.next() % 4)", "zone": ["x", "y"][Int(random.next() % 2)]],
                role: ["*", "*", "web"][Int(random.next() % 3)],
                available: ResourceAmounts(cpus: Double(random.next() % 8) + 0.5, memMb: Double(random.next() % 4096) + 128, diskMb: Double(random.next() % 1000)),
                ports: random.next() % 5 == 0 ? [] : [PortRange(begin, begin + Int(random.next() % 6)), PortRange(40000, 40000 + Int(random.next() % 3))],
                state: states[Int(random.next() % UInt64(states.count))], offerIDs: ["o\(index)"]
            )
        }
    }

    static func randomTasks(_ random: inout SeededGenerator) -> [PendingTask] {
        var result: [PendingTask] = []
        for serviceIndex in 0..<Int(random.next() % 8 + 1) {
            let instances = Int(random.next() % 8) + 1
            let spread = Spread.allCases[Int(random.next() % UInt64(Spread.allCases.count))]
            let constraints = PlacementConstraints(
                requiredAttributes: random.next() % 4 == 0 ? ["zone": "x"] : [:],
                allowedAttributes: random.next() % 5 == 0 ? ["rack": ["r0", "r1", "r2"]] : [:],
                spread: spread, rackSensitive: random.next() % 4 == 0
            )
            let requirement = TaskRequirement(
                resources: ResourceAmounts(cpus: Double(random.next() % 20) / 10 + 0.1, memMb: Double(random.next() % 1024) + 16, diskMb: Double(random.next() % 100)),
                portCount: Int(random.next() % 3), roles: random.next() % 4 == 0 ? ["web"] : [], constraints: constraints
            )
            for instance in 0..<instances {
                result.append(PendingTask(slot: SlotID(service: "s\(serviceIndex)", instance: instance), deployID: "d\(serviceIndex)",
                                          requirement: requirement, desiredInstances: instances))
            }
        }
        return result
    }

    @Test(arguments: 0..<300)
    func invariantsHold(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed))
        let agents = Self.randomCluster(&random)
        let pending = Self.randomTasks(&random)
        let placer = Placer(shuffleTies: seed % 2 == 0)
        let result = placer.place(pending, on: agents)
        #expect(result.placements.count + result.unplaced.count == pending.count)

        let byOffer = Dictionary(uniqueKeysWithValues: agents.map { ($0.offerIDs[0], $0) })
        var used: [String: ResourceAmounts] = [:]
        var usedPorts: [String: Set<Int>] = [:]
        var hostsPerDeploy: [String: [String]] = [:]
        var agentsPerDeploy: [String: [String]] = [:]
        var racksPerDeploy: [String: [String: Int]] = [:]
        let taskBySlot = Dictionary(uniqueKeysWithValues: pending.map { ($0.slot, $0) })
        for placement in result.placements {
            let agent = byOffer[placement.offerIDs[0]]!
            let task = taskBySlot[placement.slot]!
            let constraints = task.requirement.constraints
            #expect(agent.state == .active)
            #expect(task.requirement.roles.isEmpty || task.requirement.roles.contains(agent.role))
            for (key, value) in constraints.requiredAttributes { #expect(agent.attributes[key] == value) }
            for (key, values) in constraints.allowedAttributes { #expect(values.contains(agent.attributes[key] ?? "")) }
            used[placement.offerIDs[0], default: .zero] = used[placement.offerIDs[0], default: .zero] + placement.resources
            #expect(placement.ports.count == task.requirement.portCount)
            for port in placement.ports {
                #expect(agent.ports.contains { $0.begin <= port && port <= $0.end })
                #expect(usedPorts[agent.offerIDs[0], default: []].insert(port).inserted, "port \(port) given twice")
            }
            hostsPerDeploy[placement.deployID, default: []].append(agent.hostname)
            agentsPerDeploy[placement.deployID, default: []].append(agent.id)
            racksPerDeploy[placement.deployID, default: [:]][agent.rack!, default: 0] += 1
            if constraints.spread == .separateHosts {
                #expect(Set(hostsPerDeploy[placement.deployID]!).count == hostsPerDeploy[placement.deployID]!.count, "two instances on one host")
            }
            if constraints.spread == .spreadAllAgents {
                #expect(Set(agentsPerDeploy[placement.deployID]!).count == agentsPerDeploy[placement.deployID]!.count, "two instances on one agent")
            }
            if constraints.rackSensitive {
                let racks = Set(agents.compactMap(\.rack)).count
                let cap = (task.desiredInstances + racks - 1) / racks
                #expect(racksPerDeploy[placement.deployID]!.values.allSatisfy { $0 <= cap }, "rack over its share")
            }
        }
        for (offer, amount) in used {
            #expect(byOffer[offer]!.available.covers(amount), "offer \(offer) over-committed")
        }
        for unplaced in result.unplaced {
            // Every agent is accounted for by exactly one rejection.
            #expect(unplaced.explanation.rejections.values.reduce(0, +) == agents.count)
            #expect(!unplaced.explanation.description.isEmpty)
        }
        // Deterministic: the same input gives the same answer.
        #expect(placer.place(pending, on: agents).placements == result.placements)
    }
}

/// The balanced default: a deploy's instances share a host only when no other feasible host is free of
/// them; services of one instance each still pack onto as few agents as fit them.
@Suite("Placement: balanced spread properties")
struct BalancedSpreadPropertyTests {
    /// Active agents of random sizes, one per host, some with racks; tasks small enough to fit anywhere twice.
    static func cluster(_ random: inout SeededGenerator) -> [AgentSnapshot] {
        (0..<Int(random.next() % 12 + 2)).map { index in
            let cpus = Double(random.next() % 6 + 2)
            let used = Double(random.next() % 2)
            return AgentSnapshot(
                id: "a\(index)", hostname: "h\(index)", attributes: random.next() % 2 == 0 ? ["rack": "r\(random.next() % 3)"] : [:],
                role: "*", total: ResourceAmounts(cpus: cpus + used, memMb: 8192, diskMb: 1000),
                available: ResourceAmounts(cpus: cpus, memMb: 8192, diskMb: 1000), ports: [PortRange(31000, 31099)],
                state: .active, offerIDs: ["o\(index)"])
        }
    }

    @Test(arguments: 0..<200)
    func instancesShareAnAgentOnlyWhenEveryFeasibleAgentHasOne(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &+ 1_000)
        let agents = Self.cluster(&random)
        var pending: [PendingTask] = []
        for service in 0..<Int(random.next() % 4 + 1) {
            let count = Int(random.next() % UInt64(agents.count * 2)) + 1
            pending += tasks("s\(service)", count: count, deploy: "d\(service)", cpus: 0.1, mem: 64)
        }
        let result = Placer(shuffleTies: seed % 2 == 0).place(pending, on: agents)
        #expect(result.unplaced.isEmpty, "capacity is ample")
        // Replay the placements in order: when an instance joins a host already holding one of its
        // deploy, every host with room for it must already hold one too.
        var left = Dictionary(uniqueKeysWithValues: agents.map { ($0.id, $0.available.cpus) })
        var held: [String: [String: Int]] = [:]
        for placement in result.placements {
            let mine = held[placement.deployID, default: [:]]
            if mine[placement.agentID, default: 0] > 0 {
                let free = agents.filter { mine[$0.id, default: 0] == 0 && left[$0.id]! + 1e-9 >= placement.resources.cpus }
                #expect(free.isEmpty, "\(placement.slot) joined \(placement.agentID) while \(free.map(\.id)) held none")
            }
            held[placement.deployID, default: [:]][placement.agentID, default: 0] += 1
            left[placement.agentID]! -= placement.resources.cpus
        }
    }

    @Test(arguments: 0..<100)
    func servicesOfOneInstancePackDensely(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &+ 5_000)
        // Equal empty agents with room for 8 tasks each; n single-instance services fill ceil(n/8) agents.
        let agents = (0..<Int(random.next() % 6 + 2)).map { agent("a\($0)", cpus: 8, mem: 8192) }
        let services = Int(random.next() % UInt64(agents.count * 8)) + 1
        let pending = (0..<services).map { task("s\($0)", 0, deploy: "d\($0)", cpus: 1, mem: 64) }
        let result = Placer(shuffleTies: seed % 2 == 0).place(pending, on: agents)
        #expect(result.unplaced.isEmpty)
        #expect(Set(result.placements.map(\.agentID)).count == (services + 7) / 8)
    }
}
