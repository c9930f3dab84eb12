import Testing
@testable import Scheduler

@Suite("Placement: feasibility checks")
struct PlacementFeasibilityTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var agents: [AgentSnapshot]
        var task: PendingTask
        var expectedAgent: String?
        var expectedRejections: [Rejection: Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "cpus", agents: [agent("a", cpus: 0.5), agent("b", cpus: 2)], task: task(cpus: 1),
             expectedAgent: "b", expectedRejections: [:]),
        Case(name: "all lack cpus", agents: [agent("a", cpus: 0.5), agent("b", cpus: 0.9)], task: task(cpus: 1),
             expectedAgent: nil, expectedRejections: [Rejection(.cpus): 2]),
        Case(name: "mem", agents: [agent("a", mem: 100)], task: task(mem: 256),
             expectedAgent: nil, expectedRejections: [Rejection(.mem): 1]),
        Case(name: "disk", agents: [agent("a", disk: 10)], task: task(disk: 100),
             expectedAgent: nil, expectedRejections: [Rejection(.disk): 1]),
        Case(name: "ports", agents: [agent("a", ports: [PortRange(31000, 31001)]), agent("b", ports: [PortRange(1, 3)])],
             task: task(ports: 3), expectedAgent: "b", expectedRejections: [:]),
        Case(name: "lack ports", agents: [agent("a", ports: [])], task: task(ports: 1),
             expectedAgent: nil, expectedRejections: [Rejection(.ports): 1]),
        Case(name: "role", agents: [agent("a", role: "*"), agent("b", role: "web")], task: task(roles: ["web"]),
             expectedAgent: "b", expectedRejections: [:]),
        Case(name: "role rejected", agents: [agent("a", role: "batch")], task: task(roles: ["web"]),
             expectedAgent: nil, expectedRejections: [Rejection(.role, detail: "batch"): 1]),
        Case(name: "requiredAttributes",
             agents: [agent("a", attributes: ["zone": "b"]), agent("b", attributes: [:]), agent("c", attributes: ["zone": "a"])],
             task: task(required: ["zone": "a"]), expectedAgent: "c", expectedRejections: [:]),
        Case(name: "requiredAttributes rejected",
             agents: [agent("a", attributes: ["zone": "b"]), agent("b")], task: task(required: ["zone": "a"]),
             expectedAgent: nil, expectedRejections: [Rejection(.requiredAttributes, detail: "zone=a"): 2]),
        Case(name: "allowedAttributes",
             agents: [agent("a", attributes: ["type": "small"]), agent("b", attributes: ["type": "large"])],
             task: task(allowed: ["type": ["large", "xlarge"]]), expectedAgent: "b", expectedRejections: [:]),
        Case(name: "allowedAttributes rejected", agents: [agent("a", attributes: ["type": "small"])],
             task: task(allowed: ["type": ["large", "xlarge"]]), expectedAgent: nil,
             expectedRejections: [Rejection(.allowedAttributes, detail: "type in [large,xlarge]"): 1]),
        Case(name: "draining and decommissioning agents take nothing",
             agents: [agent("a", state: .draining), agent("b", state: .decommissioning), agent("c", state: .decommissioned)],
             task: task(), expectedAgent: nil,
             expectedRejections: [Rejection(.agentNotActive, detail: "(draining)"): 1, Rejection(.agentNotActive, detail: "(decommissioning)"): 1,
                                  Rejection(.agentNotActive, detail: "(decommissioned)"): 1]),
        Case(name: "rack sensitive needs a rack", agents: [agent("a")], task: task(rackSensitive: true),
             expectedAgent: nil, expectedRejections: [Rejection(.missingRack): 1]),
        Case(name: "static checks come before resources",
             agents: [agent("a", cpus: 0, state: .draining)], task: task(),
             expectedAgent: nil, expectedRejections: [Rejection(.agentNotActive, detail: "(draining)"): 1]),
    ]

    @Test(arguments: cases)
    func check(_ testCase: Case) {
        let result = fixedOrder.place([testCase.task], on: testCase.agents)
        #expect(result.placements.first?.agentID == testCase.expectedAgent)
        if testCase.expectedAgent == nil {
            #expect(result.unplaced.count == 1)
            #expect(result.unplaced.first?.explanation.rejections == testCase.expectedRejections)
            #expect(result.unplaced.first?.explanation.agentsConsidered == testCase.agents.count)
        } else {
            #expect(result.unplaced.isEmpty)
        }
    }

    @Test func explanationReadsLikeASentence() {
        let agents = [agent("a", cpus: 0.1), agent("b", cpus: 0.2), agent("c", cpus: 0.3),
                      agent("d", attributes: ["zone": "x"]), agent("e")]
        let result = fixedOrder.place([task(required: ["zone": "us-east-1a"])], on: agents)
        let text = result.unplaced.first?.explanation.description
        #expect(text == "5 agents fail requiredAttributes zone=us-east-1a")
        let mixed = fixedOrder.place([task(cpus: 1)], on: [agent("a", cpus: 0.1), agent("b", cpus: 0.2), agent("c", state: .draining)])
        #expect(mixed.unplaced.first?.explanation.description == "1 agent not accepting tasks (draining), 2 agents lack cpus")
        #expect(fixedOrder.place([task()], on: []).unplaced.first?.explanation.description == "no offers")
    }
}

@Suite("Placement: resources and offers")
struct PlacementResourceTests {
    @Test func severalTasksShareOneOfferWithoutOverCommit() {
        let result = fixedOrder.place(tasks(count: 5, cpus: 1, mem: 1000), on: [agent("a", cpus: 4, mem: 4096)])
        #expect(result.placements.count == 4)
        #expect(result.unplaced.count == 1)
        #expect(result.unplaced.first?.explanation.rejections == [Rejection(.cpus): 1])
        #expect(result.placements.allSatisfy { $0.offerIDs == ["offer-a-*"] })
        #expect(result.launchesByOffers.count == 1)
        #expect(result.launchesByOffers.first?.placements.count == 4)
    }

    @Test func portsArePickedLowestFirstAcrossRanges() {
        let ranges = [PortRange(31000, 31001), PortRange(31500, 31502)]
        let result = fixedOrder.place(tasks(count: 2, cpus: 0.1, ports: 2), on: [agent("a", ports: ranges)])
        #expect(result.placements.map(\.ports) == [[31000, 31001], [31500, 31501]])
        let third = fixedOrder.place(tasks(count: 3, cpus: 0.1, ports: 2), on: [agent("a", ports: ranges)])
        #expect(third.unplaced.first?.explanation.rejections == [Rejection(.ports): 1])
    }

    @Test func unusedOffersAreReportedForDecline() {
        let result = fixedOrder.place([task()], on: [agent("a"), agent("b", cpus: 0)])
        #expect(result.placements.map(\.agentID) == ["a"])
        #expect(result.unusedOfferIDs == ["offer-b-*"])
    }

    @Test func portRangeTakeLowest() {
        var ranges = [PortRange(10, 12), PortRange(20, 20)]
        #expect(ranges.takeLowest(5) == nil)
        #expect(ranges == [PortRange(10, 12), PortRange(20, 20)])
        #expect(ranges.takeLowest(3) == [10, 11, 12])
        #expect(ranges == [PortRange(20, 20)])
        #expect(ranges.takeLowest(0) == [])
        #expect(ranges.takeLowest(1) == [20])
        #expect(ranges.isEmpty)
    }
}

@Suite("Placement: spread and rankers")
struct PlacementSpreadTests {
    @Test func separateHostsPutsOneInstancePerHost() {
        let agents = [agent("a", cpus: 8), agent("b", cpus: 8), agent("c", cpus: 8, host: "a.example")]
        let result = fixedOrder.place(tasks(count: 3, spread: .separateHosts), on: agents)
        #expect(result.placements.count == 2)
        #expect(Set(result.placements.map(\.hostname)).count == 2)
        #expect(result.unplaced.first?.explanation.rejections == [Rejection(.separateHosts): 3])
    }

    @Test func separateHostsCountsExistingTasksOfTheSameDeployOnly() {
        let agents = [agent("a", cpus: 8), agent("b", cpus: 8)]
        let existing = [ExistingPlacement(service: "web", deployID: "d1", agentID: "a", hostname: "a.example"),
                        ExistingPlacement(service: "web", deployID: "d0", agentID: "b", hostname: "b.example")]
        let result = fixedOrder.place([task("web", 1, spread: .separateHosts, instances: 2)], on: agents, existing: existing)
        #expect(result.placements.map(\.agentID) == ["b"])
    }

    @Test func spreadAllAgentsPutsOnePerAgent() {
        let agents = [agent("a", cpus: 8), agent("a", cpus: 8, role: "web"), agent("b", cpus: 8)]
        let result = fixedOrder.place(tasks(count: 3, spread: .spreadAllAgents), on: agents)
        #expect(Set(result.placements.map(\.agentID)) == ["a", "b"])
        #expect(result.unplaced.count == 1)
        #expect(result.unplaced.first?.explanation.rejections == [Rejection(.spreadAllAgents): 3])
    }

    @Test func rackSensitiveSpreadsEvenlyOverRacks() {
        let agents = (0..<9).map { agent("a\($0)", cpus: 16, mem: 65536, attributes: ["rack": "r\($0 % 3)"]) }
        let result = fixedOrder.place(tasks(count: 6, rackSensitive: true), on: agents)
        #expect(result.placements.count == 6)
        var perRack: [String: Int] = [:]
        for placement in result.placements { perRack[agents.first { $0.id == placement.agentID }!.rack!, default: 0] += 1 }
        #expect(perRack == ["r0": 2, "r1": 2, "r2": 2])
    }

    @Test func rackSensitiveCapsARackUsingExistingTasksAndClusterRackCount() {
        let agents = [agent("a", attributes: ["rack": "r1"]), agent("b", attributes: ["rack": "r2"])]
        let existing = [ExistingPlacement(service: "web", deployID: "d1", agentID: "x", hostname: "x", rack: "r2")]
        // 2 instances over 2 racks: r2 already holds its share, so the new one goes to r1 even though r2 ties on packing.
        let result = fixedOrder.place([task("web", 1, rackSensitive: true, instances: 2)], on: [agents[1], agents[0]], existing: existing)
        #expect(result.placements.map(\.agentID) == ["a"])
        // Only r2 offered: the task waits and says why.
        let blocked = fixedOrder.place([task("web", 1, rackSensitive: true, instances: 2)], on: [agents[1]], existing: existing, rackCount: 2)
        #expect(blocked.unplaced.first?.explanation.rejections == [Rejection(.rackFull): 1])
    }

    @Test func binPackPrefersTheFullerAgentAndKeepsEmptyAgentsWhole() {
        let agents = [agent("empty", cpus: 8, mem: 8192),
                      agent("used", cpus: 2, mem: 2048, total: ResourceAmounts(cpus: 8, memMb: 8192, diskMb: 10_000))]
        let result = fixedOrder.place([task(cpus: 1, mem: 512)], on: agents)
        #expect(result.placements.first?.agentID == "used")
        let scores = result.placements.first!.scores
        #expect(scores.map(\.ranker) == [.binPack, .agentInUse, .instanceSpread])
        #expect(fixedOrder.place([task(cpus: 1, mem: 512, spread: .greedy)], on: agents).placements.first!.scores.map(\.ranker)
                == [.binPack, .agentInUse, .serviceAntiAffinity])
        #expect(scores.first { $0.ranker == .agentInUse }?.score == 1)
        let binPack = scores.first { $0.ranker == .binPack }!.score
        #expect(abs(binPack - ((7.0 / 8 + (6144.0 + 512) / 8192) / 2)) < 1e-9)
    }

    @Test func greedyPackingFillsOneAgentBeforeTheNext() {
        let agents = [agent("a", cpus: 4, mem: 4096), agent("b", cpus: 4, mem: 4096)]
        let result = fixedOrder.place(tasks("batch", count: 4, cpus: 1, mem: 256, spread: .greedy)
                                      + tasks("other", count: 2, cpus: 1, mem: 256, spread: .greedy), on: agents)
        let perAgent = Dictionary(grouping: result.placements, by: \.agentID).mapValues(\.count)
        #expect(perAgent["a"] == 4 || perAgent["b"] == 4)
    }

    @Test func greedyAntiAffinitySpreadsAmongEqualAgents() {
        // Huge agents: packing barely changes, so the anti-affinity ranker decides.
        let agents = (0..<3).map { agent("a\($0)", cpus: 1000, mem: 1_000_000, runsTasks: true) }
        let result = fixedOrder.place(tasks(count: 3, cpus: 0.1, mem: 1, spread: .greedy), on: agents)
        #expect(Set(result.placements.map(\.agentID)).count == 3)
    }

    @Test func balancedIsTheDefaultAndSpreadsInstancesWhereGreedyPacks() {
        #expect(PlacementConstraints().spread == .balanced)
        // Room for all three on the used agent: greedy packs them there, balanced puts one per agent.
        let agents = [agent("used", cpus: 4, mem: 4096, total: ResourceAmounts(cpus: 8, memMb: 8192, diskMb: 10_000)),
                      agent("b", cpus: 8, mem: 8192), agent("c", cpus: 8, mem: 8192)]
        let greedy = fixedOrder.place(tasks(count: 3, cpus: 1, mem: 256, spread: .greedy), on: agents)
        #expect(greedy.placements.map(\.agentID) == ["used", "used", "used"])
        let balanced = fixedOrder.place(tasks(count: 3, cpus: 1, mem: 256), on: agents)
        #expect(balanced.placements.map(\.agentID) == ["used", "b", "c"])
        // The second instance's record says why it did not join the first.
        let second = balanced.placements[1].scores.first { $0.ranker == .instanceSpread }!
        #expect(second.score == 0 && second.weight == 2)
        // A fourth instance must share: it goes to the fullest agent holding one (packing breaks the tie).
        let four = fixedOrder.place(tasks(count: 4, cpus: 1, mem: 256), on: agents)
        #expect(four.placements.map(\.agentID) == ["used", "b", "c", "used"])
        #expect(four.placements[3].scores.first { $0.ranker == .instanceSpread }?.score == -Double(4 + 1))
    }

    @Test func balancedCountsExistingInstancesOfTheDeploy() {
        let agents = [agent("a", cpus: 8), agent("b", cpus: 8)]
        let existing = [ExistingPlacement(service: "web", deployID: "d1", agentID: "a", hostname: "a.example")]
        let result = fixedOrder.place([task("web", 1, instances: 2)], on: agents, existing: existing)
        #expect(result.placements.map(\.agentID) == ["b"])
    }

    @Test func balancedSpreadsOverRacksThenPacksWithinThem() {
        // Rack r1 has two agents, r2 one: instances go r1, r2, then the other r1 agent (no host holds two).
        let agents = [agent("a1", cpus: 8, attributes: ["rack": "r1"]), agent("a2", cpus: 8, attributes: ["rack": "r1"]),
                      agent("b1", cpus: 8, attributes: ["rack": "r2"])]
        let result = fixedOrder.place(tasks(count: 3, cpus: 1, mem: 256), on: agents)
        #expect(result.placements.map(\.agentID) == ["a1", "b1", "a2"])
    }

    @Test func differentServicesStillPackTogether() {
        // Two services of one instance each and one busy agent: both go to the busy agent.
        let agents = [agent("busy", cpus: 4, mem: 4096, total: ResourceAmounts(cpus: 8, memMb: 8192, diskMb: 10_000)),
                      agent("idle", cpus: 8, mem: 8192)]
        let result = fixedOrder.place([task("web", 0, deploy: "w1"), task("api", 0, deploy: "a1")], on: agents)
        #expect(result.placements.map(\.agentID) == ["busy", "busy"])
    }

    @Test func tiesBreakByAgentOrderOrBySeededShuffle() {
        let agents = (0..<50).map { agent("a\($0)") }
        #expect(fixedOrder.place([task()], on: agents).placements.first?.agentID == "a0")
        let shuffled = Placer(shuffleTies: true)
        let first = shuffled.place([task(deploy: "deploy-1")], on: agents).placements.first?.agentID
        #expect(shuffled.place([task(deploy: "deploy-1")], on: agents).placements.first?.agentID == first)
        let others = Set((0..<20).compactMap { shuffled.place([task(deploy: "deploy-\($0)")], on: agents).placements.first?.agentID })
        #expect(others.count > 5)
    }
}
