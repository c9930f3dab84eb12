import Foundation
import Logging
import Manifests

extension SchedulerCore {
    /// Converge's decommission state, else draining when Mesos announced the agent goes away, else active.
    func agentState(_ id: String) -> AgentState {
        state.agentStates[id] ?? (state.unavailableAgents.contains(id) ? .draining : .active)
    }

    /// Decommissioning from Maintenance selectors and Mesos unavailability: agent states (persisted) and
    /// replacement launches; inverse offers accepted once the agent is empty.
    func planAgents(now: Date, plan: inout TickPlan) {
        let records = state.agents.values.map {
            AgentRecord(id: $0.id, hostname: $0.hostname, attributes: $0.attributes, state: agentState($0.id))
        }
        var currentDeploys: [String: String] = [:]
        for (name, service) in state.services where service.workload.kind.isLongRunning {
            currentDeploys[name] = runningDeployID(of: service)
        }
        let decommissionPlan = DecommissionPlanner.plan(DecommissionPlanner.Input(
            agents: records, selectors: state.desired?.decommission ?? [], drainingAgentIDs: state.unavailableAgents,
            tasks: Array(state.cluster.tasks.values), currentDeploys: currentDeploys,
            maxConcurrent: configuration.maxConcurrentDecommissions))
        for (id, newState) in decommissionPlan.agentStates.sorted(by: { $0.key < $1.key }) {
            let stored: AgentState? = newState == .active ? nil : newState
            guard state.agentStates[id] != stored else { continue }
            state.agentStates[id] = stored
            do { try store.setAgentState(id, newState, at: now) } catch {
                configuration.logger.error("Cannot store an agent state", metadata: ["agent": "\(id)", "error": "\(error)"])
            }
            configuration.logger.info("Agent state changed", metadata: ["agent": "\(id)", "state": "\(newState.rawValue)"])
            if let status = agentStatus(id) { emit(.agent(status)) }
        }
        for replacement in decommissionPlan.replacements {
            guard let service = state.services[replacement.slot.service],
                  let template = service.templates[replacement.deployID] else { continue }
            plan.launches.append(pendingLaunch(
                slot: replacement.slot, deployID: replacement.deployID, workload: template,
                identity: TaskIdentity(slot: replacement.slot, deployID: replacement.deployID, kind: template.kind)))
        }
        acceptInverseOffersOfEmptyAgents()
    }

    func acceptInverseOffersOfEmptyAgents() {
        guard !state.inverseOffers.isEmpty else { return }
        let busy = Set(state.cluster.tasks.values.filter { !$0.state.isTerminal }.map(\.agentID))
        let ready = state.inverseOffers.values.filter { inverse in
            guard let agent = inverse.agentID?.value else { return true }
            return !busy.contains(agent)
        }.map(\.id.value)
        guard !ready.isEmpty else { return }
        for id in ready { state.inverseOffers[id] = nil }
        state.counters.inverseOffersAccepted += ready.count
        send(.acceptInverseOffers(ready))
    }

    /// The deploy whose instances run: the target, or after it failed the previous deploy kept running.
    func runningDeployID(of service: ServiceState) -> String {
        let target = service.targetDeployID
        guard let entry = service.deploy(target), entry.outcome == .failed else { return target }
        return service.previousSucceeded(before: target)?.deployID ?? target
    }

    func agentStatus(_ id: String) -> AgentStatus? {
        guard let agent = state.agents[id] else { return nil }
        let count = state.cluster.tasks.values.filter { $0.agentID == id && $0.isActive }.count
        return AgentStatus(id: id, hostname: agent.hostname, attributes: agent.attributes, state: agentState(id), taskCount: count)
    }
}
