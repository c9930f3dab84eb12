import Foundation
import Logging
import Manifests
import Mesos

extension SchedulerCore {
    /// Places pending launches over the held offers, ACCEPTs with LAUNCH per agent, declines the rest, and
    /// SUPPRESSes or REVIVEs offers. Every held offer is used or declined here exactly once.
    func placeAndLaunch(_ launches: [PendingLaunch], now: Date) {
        var unique: [String: PendingLaunch] = [:]
        var ordered: [PendingLaunch] = []
        for launch in launches {
            let key = placementKey(slot: launch.pending.slot, deployID: launch.pending.deployID)
            guard unique[key] == nil else { continue }
            unique[key] = launch
            ordered.append(launch)
        }
        let keys = Set(ordered.map(\.key))
        defer { state.lastPendingKeys = keys }

        let offers = state.offers.values.sorted { $0.id.value < $1.id.value }
        guard !ordered.isEmpty else {
            if !offers.isEmpty { decline(offers.map(\.id.value)) }
            if !state.suppressed, state.connection == .subscribed, state.reconciliation.reconciled {
                state.suppressed = true
                send(.suppress)
            }
            return
        }
        let appeared = !keys.isSubset(of: state.lastPendingKeys)
        if state.suppressed || (appeared && offers.isEmpty) || (offers.isEmpty && now.timeIntervalSince(state.lastReviveAt ?? .distantPast) > 30) {
            if state.connection == .subscribed {
                state.suppressed = false
                state.lastReviveAt = now
                send(.revive)
            }
        }
        guard !offers.isEmpty else {
            // Keep the last round's explanation (it says more than the lack of offers between rounds).
            for launch in ordered where state.services[launch.pending.slot.service]?.pendingReason == nil {
                let name = launch.pending.slot.service
                let previous = state.services[name]?.previousPendingReason
                state.services[name]?.pendingReason = previous ?? "waiting for offers"
            }
            return
        }

        let busy = Set(state.cluster.tasks.values.filter(\.isActive).map(\.agentID))
        let totals = state.agents.compactMapValues(\.total)
        var states: [String: AgentState] = [:]
        for offer in offers { states[offer.agentID.value] = agentState(offer.agentID.value) }
        let snapshots = AgentSnapshot.fromOffers(offers, states: states, totals: totals, busyAgents: busy)
        let racks = Set(state.agents.values.filter { agentState($0.id).acceptsNewTasks }.compactMap { $0.attributes[AgentSnapshot.rackAttribute] })
        let result = Placer().place(ordered.map(\.pending), on: snapshots, existing: state.cluster.existingPlacements,
                                    rackCount: racks.isEmpty ? nil : racks.count)

        for (offerIDs, placements) in result.launchesByOffers {
            var infos: [TaskInfo] = []
            for placement in placements {
                guard let launch = unique[placementKey(slot: placement.slot, deployID: placement.deployID)] else { continue }
                infos.append(launchTask(launch, placement: placement, now: now))
            }
            if !infos.isEmpty {
                send(.launch(offerIDs: offerIDs, tasks: infos, refuseSeconds: configuration.refuseSeconds))
            } else {
                decline(offerIDs)
            }
        }
        if !result.unusedOfferIDs.isEmpty { decline(result.unusedOfferIDs) }
        for offer in offers { state.offers[offer.id.value] = nil }
        for unplaced in result.unplaced {
            let name = unplaced.task.slot.service
            if state.services[name]?.pendingReason == nil {
                state.services[name]?.pendingReason = unplaced.explanation.description
            }
        }
    }

    func placementKey(slot: SlotID, deployID: String) -> String { "\(slot)|\(deployID)" }

    func decline(_ offerIDs: [String]) {
        guard !offerIDs.isEmpty else { return }
        for id in offerIDs { state.offers[id] = nil }
        state.counters.offersDeclined += offerIDs.count
        send(.decline(offerIDs: offerIDs, refuseSeconds: configuration.refuseSeconds))
    }

    /// Records the task as STAGING and returns its TaskInfo.
    func launchTask(_ launch: PendingLaunch, placement: Placement, now: Date) -> TaskInfo {
        let taskID = launch.taskID ?? launch.identity.makeTaskID()
        let info = TaskInfoBuilder.build(TaskInfoBuilder.Input(
            taskID: taskID, identity: launch.identity, workload: launch.workload, placement: placement,
            commit: state.desired?.revision, trigger: launch.trigger, executor: configuration.executor,
            frameworkID: state.frameworkID))
        let record = TaskRecord(
            taskID: taskID, slot: launch.pending.slot, deployID: launch.pending.deployID, agentID: placement.agentID,
            hostname: placement.hostname, ports: placement.ports, state: .staging, hasHealthCheck: info.healthCheck != nil,
            launchedAt: now)
        state.cluster.upsert(record)
        state.taskInfo[taskID] = TaskExtras(kind: launch.workload.kind, fireTime: launch.identity.fireTime, attempt: launch.identity.attempt)
        state.counters.tasksLaunched += 1
        let name = launch.pending.slot.service
        if launch.workload.kind.isJob {
            state.services[name]?.queuedTriggers.removeAll { $0.taskID == taskID }
            updateJobRun(record, now: now)
        }
        recordHistory(record, endedAt: nil)
        configuration.logger.info("Launching task", metadata: [
            "task": "\(taskID)", "agent": "\(placement.hostname)", "ports": "\(placement.ports)"])
        emit(.task(record))
        return info
    }
}
