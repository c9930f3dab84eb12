@testable import Scheduler

/// Small builders so tests read as tables.
func agent(
    _ id: String, cpus: Double = 4, mem: Double = 4096, disk: Double = 10_000, host: String? = nil,
    attributes: [String: String] = [:], role: String = "*", ports: [PortRange] = [PortRange(31000, 31099)],
    state: AgentState = .active, total: ResourceAmounts? = nil, runsTasks: Bool = false
) -> AgentSnapshot {
    AgentSnapshot(
        id: id, hostname: host ?? "\(id).example", attributes: attributes, role: role, total: total,
        available: ResourceAmounts(cpus: cpus, memMb: mem, diskMb: disk), ports: ports, state: state,
        offerIDs: ["offer-\(id)-\(role)"], runsTasks: runsTasks
    )
}

func task(
    _ service: String = "web", _ instance: Int = 0, deploy: String = "d1", cpus: Double = 1, mem: Double = 256,
    disk: Double = 0, ports: Int = 0, roles: [String] = [], required: [String: String] = [:],
    allowed: [String: Set<String>] = [:], spread: Spread = .balanced, rackSensitive: Bool = false, instances: Int = 1
) -> PendingTask {
    PendingTask(
        slot: SlotID(service: service, instance: instance), deployID: deploy,
        requirement: TaskRequirement(
            resources: ResourceAmounts(cpus: cpus, memMb: mem, diskMb: disk), portCount: ports, roles: roles,
            constraints: PlacementConstraints(requiredAttributes: required, allowedAttributes: allowed, spread: spread, rackSensitive: rackSensitive)
        ),
        desiredInstances: instances
    )
}

func tasks(_ service: String = "web", count: Int, deploy: String = "d1", cpus: Double = 1, mem: Double = 256, ports: Int = 0,
           required: [String: String] = [:], spread: Spread = .balanced, rackSensitive: Bool = false) -> [PendingTask] {
    (0..<count).map {
        task(service, $0, deploy: deploy, cpus: cpus, mem: mem, ports: ports, required: required, spread: spread,
             rackSensitive: rackSensitive, instances: count)
    }
}

let fixedOrder = Placer(shuffleTies: false)
