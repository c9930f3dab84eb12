import ArgumentParser
import Foundation
import Scheduler

/// `converge-bench placement`: 10,000 pending tasks on offers from 1,000 agents with mixed constraints,
/// and the memory of a state model holding 30,000 tasks.
struct PlacementBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placement",
        abstract: "Place pending tasks on agent offers (target: 10,000 tasks on 1,000 agents in <= 200 ms)."
    )

    @Option(help: "Agents offering resources.") var agents = 1000
    @Option(help: "Pending tasks (services of 10 instances).") var tasks = 10000
    @Option(help: "Timed rounds (the first, untimed, warms up).") var rounds = 5
    @Option(help: "Tasks in the state model for the memory measurement.") var stateTasks = 30000
    @Flag(help: "Print where the capacity went.") var verbose = false

    func run() throws {
        let cluster = Self.cluster(agents: agents)
        let pending = Self.workload(tasks: tasks)
        let placer = Placer()
        var result = placer.place(pending, on: cluster)
        var timings: [Double] = []
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            result = placer.place(pending, on: cluster)
            timings.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        timings.sort()
        let median = timings[timings.count / 2]
        print("placement: \(pending.count) tasks on \(cluster.count) agents, \(rounds) rounds")
        print(String(format: "  min %.1f ms, median %.1f ms, max %.1f ms, %.0f placements/s (median), target <= 200 ms",
                     timings.first!, median, timings.last!, Double(result.placements.count) / (median / 1000)))
        print("  placed \(result.placements.count), pending \(result.unplaced.count), unused offers \(result.unusedOfferIDs.count)")
        if let example = result.unplaced.first {
            print("  example pending \(example.task.slot): \(example.explanation)")
        }
        if verbose {
            let byID = Dictionary(uniqueKeysWithValues: cluster.map { ($0.id, $0) })
            var placedPerZone: [String: Double] = [:]
            var offeredPerZone: [String: Double] = [:]
            for agent in cluster where agent.state == .active { offeredPerZone[agent.attributes["zone"]!, default: 0] += agent.available.cpus }
            for placement in result.placements { placedPerZone[byID[placement.agentID]!.attributes["zone"]!, default: 0] += placement.resources.cpus }
            for zone in offeredPerZone.keys.sorted() {
                print("  \(zone): offered \(offeredPerZone[zone]!) cpus, placed \(placedPerZone[zone, default: 0]) cpus")
            }
            let agentsUsed = Set(result.placements.map(\.agentID)).count
            print("  agents used: \(agentsUsed)")
        }

        let before = Self.residentMegabytes()
        let state = Self.stateModel(tasks: stateTasks)
        let after = Self.residentMegabytes()
        withExtendedLifetime(state) {
            print(String(format: "state model: %d tasks, resident %.1f MB -> %.1f MB (+%.1f MB), target <= 300 MB",
                         state.tasks.count, before, after, after - before))
        }
    }

    /// 1,000 agents: 3 zones (each with big, small and busy agents), 20 racks, two instance types, 2% draining, a third already running tasks, two roles.
    static func cluster(agents count: Int) -> [AgentSnapshot] {
        var random = SeededGenerator(seed: 42)
        return (0..<count).map { index in
            let big = index % 3 == 0
            let total = ResourceAmounts(cpus: big ? 32 : 16, memMb: big ? 131_072 : 65_536, diskMb: 500_000)
            let inUse = index % 3 == 1
            let available = inUse ? ResourceAmounts(cpus: total.cpus / 2, memMb: total.memMb / 2, diskMb: total.diskMb / 2) : total
            return AgentSnapshot(
                id: "agent-\(index)", hostname: "host-\(index).cluster.example",
                attributes: ["zone": "zone-\((index / 3) % 3)", "rack": "rack-\(index % 20)", "instanceType": big ? "m5.8xlarge" : "m5.4xlarge"],
                role: index % 10 == 0 ? "web" : "*", total: total, available: available,
                ports: [PortRange(31000, 31000 + Int(random.next() % 1000)), PortRange(40000, 40100)],
                state: index % 50 == 7 ? .draining : .active, offerIDs: ["offer-\(index)"], runsTasks: inUse
            )
        }
    }

    /// Services of 10 instances with a mix of constraints.
    static func workload(tasks count: Int) -> [PendingTask] {
        var random = SeededGenerator(seed: 7)
        var result: [PendingTask] = []
        result.reserveCapacity(count)
        var service = 0
        while result.count < count {
            let kind = service % 20
            var constraints = PlacementConstraints()
            var roles: [String] = []
            switch kind {
            case 0, 1, 2: constraints.spread = .separateHosts
            case 3, 4: constraints.requiredAttributes = ["zone": "zone-\(service % 3)"]
            case 5, 6: constraints.allowedAttributes = ["instanceType": ["m5.8xlarge"]]
            case 7, 8: constraints.rackSensitive = true
            case 9: constraints.spread = .separateHosts; constraints.rackSensitive = true
            case 10: roles = ["web"]
            default: break
            }
            let requirement = TaskRequirement(
                resources: ResourceAmounts(cpus: [0.1, 0.25, 0.5, 1, 2][Int(random.next() % 5)],
                                           memMb: [128, 256, 512, 1024, 2048][Int(random.next() % 5)], diskMb: 100),
                portCount: Int(random.next() % 3), roles: roles, constraints: constraints
            )
            let instances = min(10, count - result.count)
            for instance in 0..<instances {
                result.append(PendingTask(slot: SlotID(service: "service-\(service)", instance: instance), deployID: "deploy-\(service)-1",
                                          requirement: requirement, desiredInstances: instances))
            }
            service += 1
        }
        return result
    }

    static func stateModel(tasks count: Int) -> ClusterState {
        var state = ClusterState()
        let now = Date()
        for index in 0..<count {
            let service = "service-\(index / 10)"
            state.upsert(TaskRecord(
                taskID: "\(service):deploy-\(index / 10)-1:\(index % 10):\(UUID().uuidString)",
                slot: SlotID(service: service, instance: index % 10), deployID: "deploy-\(index / 10)-1",
                agentID: "agent-\(index % 1000)", hostname: "host-\(index % 1000).cluster.example", ports: [31000 + index % 1000],
                state: .running, healthReported: true, hasHealthCheck: true, launchedAt: now, runningSince: now, healthySince: now,
                lastMessage: nil
            ))
        }
        return state
    }

    static func residentMegabytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}
