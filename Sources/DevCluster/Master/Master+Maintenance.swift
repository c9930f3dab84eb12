import Foundation
import Mesos

/// Operator calls on agents and machines (POST /api/v1).
enum OperatorOutcome: Sendable, Equatable {
    case ok
    case badRequest(String)
}

extension Master {
    func agentID(_ id: AgentID) -> AgentID? { agents[id] != nil ? id : nil }

    /// DRAIN_AGENT: no more offers; every task is killed within `maxGracePeriod`.
    func drain(_ call: OperatorCall.DrainAgent) async -> OperatorOutcome {
        guard var agent = agents[call.agentID], !agent.down else { return .badRequest("Unknown agent \(call.agentID.value)") }
        let grace = call.maxGracePeriod.map { Double($0.seconds) + Double($0.nanos ?? 0) / 1e9 }
        agent.mode = .draining
        agent.drainGracePeriod = grace
        agents[agent.id] = agent
        rescindOffers(on: agent.id)
        for (key, task) in tasks where task.agentID == agent.id && !task.state.isTerminal {
            let policy = task.info.killPolicy?.gracePeriod?.seconds ?? config.defaultKillGracePeriod
            await killTask(key, grace: grace.map { min($0, policy) } ?? policy, reason: .agentDraining)
        }
        return .ok
    }

    func deactivate(_ id: AgentID) -> OperatorOutcome {
        guard agents[id] != nil else { return .badRequest("Unknown agent \(id.value)") }
        agents[id]?.mode = .deactivated
        rescindOffers(on: id)
        return .ok
    }

    func reactivate(_ id: AgentID) -> OperatorOutcome {
        guard agents[id] != nil else { return .badRequest("Unknown agent \(id.value)") }
        agents[id]?.mode = .active
        agents[id]?.drainGracePeriod = nil
        allocationRequested = true
        return .ok
    }

    func rescindOffers(on agentID: AgentID) {
        for offer in offers.values where offer.agentID == agentID { rescind(offer.id, notify: true) }
    }

    // MARK: Maintenance schedule

    func updateSchedule(_ newSchedule: MaintenanceSchedule) -> OperatorOutcome {
        var seen: Set<String> = []
        for window in newSchedule.windows {
            for machine in window.machineIDs {
                guard let name = machine.hostname ?? machine.ip, !name.isEmpty else {
                    return .badRequest("Machine ID requires a hostname or an IP")
                }
                guard seen.insert(name).inserted else { return .badRequest("Machine '\(name)' appears more than once in the schedule") }
            }
        }
        for machine in downMachines where !seen.contains(machine) {
            return .badRequest("Machine '\(machine)' is DOWN and must stay in the schedule until STOP_MAINTENANCE")
        }
        schedule = newSchedule
        // Inverse offers for machines no longer scheduled are withdrawn.
        for inverse in inverseOffers.values {
            guard let hostname = agents[inverse.agentID]?.hostname, unavailability(of: hostname) == nil else { continue }
            inverseOffers[inverse.id] = nil
            var event = Event(type: .rescindInverseOffer)
            event.rescindInverseOffer = Event.RescindInverseOffer(inverseOfferID: inverse.id)
            send(event, to: inverse.frameworkID)
        }
        // Outstanding offers are re-issued so they carry the new unavailability.
        for offer in offers.values { rescind(offer.id, notify: true) }
        allocationRequested = true
        return .ok
    }

    func unavailability(of hostname: String) -> Unavailability? {
        for window in schedule.windows where window.machineIDs.contains(where: { $0.hostname == hostname || $0.ip == hostname }) {
            return window.unavailability
        }
        return nil
    }

    /// START_MAINTENANCE: the machines go DOWN; their agents are removed and their tasks lost.
    func startMaintenance(_ machines: [MachineID]) async -> OperatorOutcome {
        let names = machines.compactMap { $0.hostname ?? $0.ip }
        for name in names where unavailability(of: name) == nil {
            return .badRequest("Machine '\(name)' is not in DRAINING mode and cannot be brought down")
        }
        for name in names {
            downMachines.insert(name)
            for id in agentOrder where agents[id]?.hostname == name {
                agents[id]?.down = true
                await removeAgentTasks(id, state: .goneByOperator, reason: .agentRemovedByOperator,
                                       message: "Agent \(name) was brought down for maintenance")
                broadcastAgentFailure(id)
            }
        }
        return .ok
    }

    /// STOP_MAINTENANCE: the machines come back UP, leave the schedule, and their agents re-register empty.
    func stopMaintenance(_ machines: [MachineID]) -> OperatorOutcome {
        let names = Set(machines.compactMap { $0.hostname ?? $0.ip })
        for name in names where !downMachines.contains(name) {
            return .badRequest("Machine '\(name)' is not DOWN")
        }
        downMachines.subtract(names)
        schedule.windows = schedule.windows.compactMap { window in
            var window = window
            window.machineIDs.removeAll { names.contains($0.hostname ?? $0.ip ?? "") }
            return window.machineIDs.isEmpty ? nil : window
        }
        for id in agentOrder where names.contains(agents[id]?.hostname ?? "") {
            agents[id]?.down = false
            agents[id]?.mode = .active
            agents[id]?.used = .empty
            agents[id]?.reregisteredTime = Date().timeIntervalSince1970
        }
        allocationRequested = true
        return .ok
    }

    /// Inverse offers to frameworks with tasks on agents of scheduled (DRAINING) machines.
    func sendInverseOffers(now: Date) {
        guard !schedule.windows.isEmpty else { return }
        var batches: [FrameworkID: [InverseOffer]] = [:]
        for id in agentOrder {
            guard let agent = agents[id], !agent.down, let unavailability = unavailability(of: agent.hostname) else { continue }
            let holders = Set(tasks.values.filter { $0.agentID == id && !$0.state.isTerminal }.map(\.key.frameworkID))
            for frameworkID in holders {
                guard let framework = frameworks[frameworkID], framework.connected else { continue }
                if let until = framework.inverseFilters[id], until > now { continue }
                if inverseOffers.values.contains(where: { $0.frameworkID == frameworkID && $0.agentID == id }) { continue }
                let offerID = OfferID("\(masterID)-O\(nextOfferNumber)")
                nextOfferNumber += 1
                inverseOffers[offerID] = InverseOfferRecord(id: offerID, frameworkID: frameworkID, agentID: id,
                                                            unavailability: unavailability)
                var inverse = InverseOffer(id: offerID, frameworkID: frameworkID, agentID: id, unavailability: unavailability)
                inverse.url = MesosURL(scheme: "http", address: Address(hostname: agent.hostname, ip: agent.hostname,
                                                                        port: Int32(agent.port)), path: "/slave(1)")
                batches[frameworkID, default: []].append(inverse)
            }
        }
        for (frameworkID, list) in batches { send(.inverseOffers(list), to: frameworkID) }
    }

    /// ACCEPT_INVERSE_OFFERS / DECLINE_INVERSE_OFFERS: recorded; answering is advisory, as in Mesos.
    func answerInverseOffers(_ frameworkID: FrameworkID, _ reply: Call.InverseOffersReply, accepted: Bool) {
        for id in reply.inverseOfferIDs {
            guard var inverse = inverseOffers[id], inverse.frameworkID == frameworkID else { continue }
            inverse.answered = accepted
            if accepted {
                inverseOffers[id] = inverse // kept: no new inverse offer while the schedule stands
            } else {
                inverseOffers[id] = nil
                let seconds = reply.filters?.refuseSeconds ?? config.defaultRefuseSeconds
                frameworks[frameworkID]?.inverseFilters[inverse.agentID] = Date().addingTimeInterval(max(0, seconds))
            }
        }
    }

    func broadcastAgentFailure(_ id: AgentID) {
        for framework in frameworks.values { framework.stream?.send(.failure(agentID: id)) }
    }

    /// Ends every task of an agent from the master's side (agent removed, restarted or lost).
    func removeAgentTasks(_ agentID: AgentID, state: TaskState, reason: TaskStatus.Reason, message: String,
                          onlyFrameworks filter: ((FrameworkRecord) -> Bool)? = nil, killProcesses: Bool = true) async {
        if killProcesses {
            await supervisor?.abandon(agent: agentID)
            await abandonExecutors(agent: agentID)
        }
        for (key, task) in tasks where task.agentID == agentID {
            guard let framework = frameworks[key.frameworkID] ?? removedFrameworks[key.frameworkID] else { continue }
            if let filter, !filter(framework) { continue }
            var task = task
            let status = TaskStatus(taskID: key.taskID, state: state, message: message, source: .master, reason: reason,
                                    agentID: agentID, timestamp: Date().timeIntervalSince1970)
            task.record(status)
            releaseResources(of: &task)
            task.pending = nil
            pendingAcks.remove(key)
            tasks[key] = nil
            frameworks[key.frameworkID]?.tasks.remove(key)
            frameworks[key.frameworkID]?.completedTasks.append(task)
            sendMasterUpdate(key.taskID, agentID: agentID, state: framework.visible(state), reason: reason,
                             message: message, to: key.frameworkID)
        }
        for offer in offers.values where offer.agentID == agentID { rescind(offer.id, notify: true) }
    }
}
