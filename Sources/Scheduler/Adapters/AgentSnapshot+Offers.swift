import Foundation
import Mesos

extension AgentSnapshot {
    /// Builds placement snapshots from Mesos offers: offers of one agent and allocation role merge into one
    /// snapshot (accepted together). Revocable resources are left out; offers carrying `unavailability`
    /// make the agent `draining` unless `states` says otherwise.
    ///
    /// - Parameters:
    ///   - states: the scheduler's own agent states (decommissioning, decommissioned) by agent id.
    ///   - totals: each agent's full resources (from `/master/state`), for packing scores.
    ///   - busyAgents: agents known to run tasks.
    public static func fromOffers(
        _ offers: [Offer], states: [String: AgentState] = [:], totals: [String: ResourceAmounts] = [:], busyAgents: Set<String> = []
    ) -> [AgentSnapshot] {
        struct Key: Hashable { var agent: String; var role: String }
        var order: [Key] = []
        var snapshots: [Key: AgentSnapshot] = [:]
        for offer in offers {
            let role = offer.allocationInfo?.role ?? offer.resources.lazy.compactMap { $0.allocationInfo?.role }.first ?? "*"
            let key = Key(agent: offer.agentID.value, role: role)
            var snapshot = snapshots[key] ?? AgentSnapshot(
                id: offer.agentID.value, hostname: offer.hostname,
                attributes: Dictionary(offer.attributes.map { ($0.name, $0.stringValue) }, uniquingKeysWith: { first, _ in first }),
                role: role, available: .zero,
                state: states[offer.agentID.value] ?? (offer.unavailability == nil ? .active : .draining),
                runsTasks: busyAgents.contains(offer.agentID.value) || !offer.executorIDs.isEmpty
            )
            if snapshots[key] == nil { order.append(key) }
            for resource in offer.resources where resource.revocable == nil {
                switch resource.name {
                case "cpus": snapshot.available.cpus += resource.scalar?.value ?? 0
                case "mem": snapshot.available.memMb += resource.scalar?.value ?? 0
                case "disk": snapshot.available.diskMb += resource.scalar?.value ?? 0
                case "ports":
                    for range in resource.ranges?.range ?? [] where range.begin <= range.end && range.end <= UInt64(Int.max) {
                        snapshot.ports.append(PortRange(Int(range.begin), Int(range.end)))
                    }
                default: break
                }
            }
            snapshot.offerIDs.append(offer.id.value)
            snapshots[key] = snapshot
        }
        return order.map { key in
            var snapshot = snapshots[key]!
            snapshot.ports.sort { $0.begin < $1.begin }
            snapshot.total = totals[key.agent].map { total in
                ResourceAmounts(cpus: max(total.cpus, snapshot.available.cpus), memMb: max(total.memMb, snapshot.available.memMb),
                                diskMb: max(total.diskMb, snapshot.available.diskMb))
            } ?? snapshot.available
            if snapshot.total.cpus > snapshot.available.cpus + ResourceAmounts.epsilon { snapshot.runsTasks = true }
            return snapshot
        }
    }
}

extension Placement {
    /// The task's resources as Mesos wants them in its TaskInfo: allocated to the offer's role.
    public var mesosResources: [Resource] {
        let allocation: String? = role
        var result = [
            Resource.scalar("cpus", resources.cpus, allocationRole: allocation),
            Resource.scalar("mem", resources.memMb, allocationRole: allocation),
        ]
        if resources.diskMb > 0 { result.append(Resource.scalar("disk", resources.diskMb, allocationRole: allocation)) }
        if !ports.isEmpty {
            result.append(Resource.ranges("ports", ports.map { UInt64($0)...UInt64($0) }, allocationRole: allocation))
        }
        return result
    }
}

extension TaskUpdate {
    /// Reduces a Mesos status update; nil for an unknown state name.
    public init?(_ status: TaskStatus, receivedAt: Date) {
        guard let state = TaskState(mesosName: status.state.rawValue) else { return nil }
        self.init(taskID: status.taskID.value, state: state, healthy: status.healthy, message: status.message, reason: status.reason?.rawValue,
                  timestamp: status.timestamp.map { Date(timeIntervalSince1970: $0) } ?? receivedAt)
    }
}
