import Foundation
import Mesos

extension Master {
    // MARK: Allocation

    /// Offers every agent's unused resources to one eligible framework each, fewest cpus in use first.
    func allocate(now: Date) {
        let candidates = frameworks.values.filter { $0.connected && !$0.suppressedAll && !$0.suppressedRoles.contains($0.role) }
        guard !candidates.isEmpty else { return }
        // Fair share only matters between frameworks; one framework skips the tally over its tasks.
        var allocated: [FrameworkID: Double] = [:]
        if candidates.count > 1 {
            for framework in candidates {
                allocated[framework.id] = framework.tasks.reduce(0) { $0 + (tasks[$1]?.resources.cpus ?? 0) }
            }
        }
        var batches: [FrameworkID: [Offer]] = [:]
        for agentID in agentOrder {
            guard let agent = agents[agentID], agent.acceptsOffers, !downMachines.contains(agent.hostname) else { continue }
            let available = agent.available
            guard available.cpus > 0 || available.mem > 0 else { continue }
            let eligible = candidates.filter { framework in
                guard let filter = frameworks[framework.id]?.filters[agentID], filter.until > now else { return true }
                return !filter.resources.contains(available)
            }
            guard let chosen = eligible.min(by: { (allocated[$0.id] ?? 0, $0.id) < (allocated[$1.id] ?? 0, $1.id) }) else { continue }
            let id = OfferID("\(masterID)-O\(nextOfferNumber)")
            nextOfferNumber += 1
            offers[id] = OfferRecord(id: id, frameworkID: chosen.id, agentID: agentID, resources: available, created: now)
            agents[agentID]?.offered = agent.offered + available
            allocated[chosen.id, default: 0] += available.cpus
            batches[chosen.id, default: []].append(offer(id, agent: agent, resources: available, framework: chosen))
        }
        for (frameworkID, list) in batches { send(.offers(list), to: frameworkID) }
    }

    private func offer(_ id: OfferID, agent: AgentRecord, resources: ResourceBag, framework: FrameworkRecord) -> Offer {
        var offer = Offer(id: id, frameworkID: framework.id, agentID: agent.id, hostname: agent.hostname,
                          resources: resources.resources(role: framework.role), attributes: agent.attributes)
        offer.url = MesosURL(scheme: "http", address: Address(hostname: agent.hostname, ip: agent.hostname, port: Int32(agent.port)),
                             path: "/slave(1)")
        offer.allocationInfo = Resource.AllocationInfo(role: framework.role)
        offer.unavailability = unavailability(of: agent.hostname)
        return offer
    }

    /// Takes an offer back; its resources become available again.
    func rescind(_ offerID: OfferID, notify: Bool) {
        guard let offer = offers.removeValue(forKey: offerID) else { return }
        if var agent = agents[offer.agentID] {
            agent.offered = agent.offered - offer.resources
            agents[offer.agentID] = agent
        }
        if notify { send(.rescind(offerID), to: offer.frameworkID) }
        allocationRequested = true
    }

    func refuse(_ frameworkID: FrameworkID, agent agentID: AgentID, resources: ResourceBag, filters: Filters?) {
        let seconds = filters?.refuseSeconds ?? config.defaultRefuseSeconds
        guard seconds > 0, !resources.isEmpty else { return }
        let until = Date().addingTimeInterval(min(seconds, 365 * 86400))
        frameworks[frameworkID]?.filters[agentID] = RefuseFilter(resources: resources, until: until)
    }

    // MARK: Calls

    func decline(_ frameworkID: FrameworkID, _ decline: Call.Decline) {
        for offerID in decline.offerIDs {
            guard let offer = offers[offerID], offer.frameworkID == frameworkID else { continue }
            rescind(offerID, notify: false)
            refuse(frameworkID, agent: offer.agentID, resources: offer.resources, filters: decline.filters)
        }
    }

    func revive(_ frameworkID: FrameworkID, roles: [String]) {
        guard var framework = frameworks[frameworkID] else { return }
        framework.filters.removeAll()
        if roles.isEmpty {
            framework.suppressedAll = false
            framework.suppressedRoles.removeAll()
        } else {
            framework.suppressedRoles.subtract(roles)
            if roles.contains(framework.role) { framework.suppressedAll = false }
        }
        frameworks[frameworkID] = framework
        allocationRequested = true
    }

    func suppress(_ frameworkID: FrameworkID, roles: [String]) {
        guard var framework = frameworks[frameworkID] else { return }
        if roles.isEmpty { framework.suppressedAll = true } else { framework.suppressedRoles.formUnion(roles) }
        frameworks[frameworkID] = framework
    }

    /// ACCEPT: validates the offers, then each LAUNCH'd task against what is left of them.
    func accept(_ frameworkID: FrameworkID, _ accept: Call.Accept) async {
        guard let framework = frameworks[frameworkID] else { return }
        let launchTasks = accept.operations.flatMap { operation -> [TaskInfo] in
            (operation.launch?.taskInfos ?? []) + (operation.launchGroup?.taskGroup.tasks ?? [])
        }
        if let error = validateOffers(accept.offerIDs, frameworkID: frameworkID) {
            for offerID in accept.offerIDs where offers[offerID]?.frameworkID == frameworkID { rescind(offerID, notify: false) }
            for task in launchTasks {
                sendMasterUpdate(task.taskID, agentID: task.agentID, state: framework.visible(.dropped),
                                 reason: .invalidOffers, message: "Task launched with invalid offers: \(error)", to: frameworkID)
            }
            return
        }
        let used = accept.offerIDs.compactMap { offers[$0] }
        guard let agentID = used.first?.agentID, let agent = agents[agentID] else { return }
        var remaining = used.reduce(ResourceBag.empty) { $0 + $1.resources }
        for offer in used { rescind(offer.id, notify: false) }
        var launched: [TaskKey] = []
        for operation in accept.operations {
            let type = operation.type ?? (operation.launch != nil ? .launch : .unknown)
            if type == .launchGroup {
                for task in operation.launchGroup?.taskGroup.tasks ?? [] {
                    sendMasterUpdate(task.taskID, agentID: agentID, state: .error, reason: .taskGroupInvalid,
                                     message: "LAUNCH_GROUP is not supported by the dev cluster", to: frameworkID)
                }
                continue
            }
            guard type == .launch else { continue }
            for info in operation.launch?.taskInfos ?? [] {
                let bag: ResourceBag
                do {
                    bag = try ResourceBag(info.resources)
                } catch {
                    sendMasterUpdate(info.taskID, agentID: agentID, state: .error, reason: .taskInvalid,
                                     message: "Task uses invalid resources: \(error)", to: frameworkID)
                    continue
                }
                let executorBag: ResourceBag
                do {
                    executorBag = try executorResourcesNeeded(info, agentID: agentID, frameworkID: frameworkID)
                } catch {
                    sendMasterUpdate(info.taskID, agentID: agentID, state: .error, reason: .taskInvalid,
                                     message: "Executor uses invalid resources: \(error)", to: frameworkID)
                    continue
                }
                if let problem = validateTask(info, resources: bag, executorResources: executorBag, agentID: agentID,
                                              frameworkID: frameworkID, remaining: remaining) {
                    sendMasterUpdate(info.taskID, agentID: agentID, state: .error, reason: .taskInvalid,
                                     message: problem, to: frameworkID)
                    continue
                }
                remaining = remaining - bag - executorBag
                let key = TaskKey(frameworkID: frameworkID, taskID: info.taskID)
                var sandbox = "\(workDirectory)/slaves/\(agentID.value)/frameworks/\(frameworkID.value)/executors/\(info.taskID.value)/runs/latest"
                var executorID: ExecutorID?
                if !config.virtual, let (executorKey, directory) = attachToExecutor(info, frameworkID: frameworkID, agentID: agentID) {
                    sandbox = directory
                    executorID = executorKey.executorID
                }
                tasks[key] = TaskRecord(key: key, agentID: agentID, info: info, resources: bag, sandbox: sandbox,
                                        executorID: executorID)
                let usedBefore = agents[agentID]?.used ?? .empty
                agents[agentID]?.used = usedBefore + bag
                frameworks[frameworkID]?.tasks.insert(key)
                launched.append(key)
            }
        }
        refuse(frameworkID, agent: agentID, resources: remaining, filters: accept.filters)
        allocationRequested = true
        await startTasks(launched, on: agent)
    }

    private func validateOffers(_ ids: [OfferID], frameworkID: FrameworkID) -> String? {
        guard !ids.isEmpty else { return "No offers specified" }
        guard Set(ids).count == ids.count else { return "Duplicate offer IDs" }
        var agentID: AgentID?
        for id in ids {
            guard let offer = offers[id] else { return "Offer \(id.value) is no longer valid" }
            guard offer.frameworkID == frameworkID else { return "Offer \(id.value) has invalid framework" }
            if let agentID, agentID != offer.agentID { return "Aggregated offers must belong to one single agent" }
            agentID = offer.agentID
        }
        if let agentID, agents[agentID]?.isConnected != true { return "Agent \(agentID.value) is not available" }
        return nil
    }

    private func validateTask(_ info: TaskInfo, resources: ResourceBag, executorResources: ResourceBag, agentID: AgentID,
                              frameworkID: FrameworkID, remaining: ResourceBag) -> String? {
        let value = info.taskID.value
        if value.isEmpty || value.contains("/") || value.contains("\\") || value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "Task ID '\(value)' contains invalid characters"
        }
        if info.agentID != agentID {
            return "Agent \(info.agentID.value) is invalid: the task's agent must match the offers' agent \(agentID.value)"
        }
        let key = TaskKey(frameworkID: frameworkID, taskID: info.taskID)
        if let existing = tasks[key], !existing.state.isTerminal {
            return "Task has duplicate ID: \(value)"
        }
        if (info.command == nil) == (info.executor == nil) {
            return "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present"
        }
        if let executor = info.executor, let problem = validateExecutor(executor, frameworkID: frameworkID) {
            return problem
        }
        if resources.isEmpty { return "Task uses no resources" }
        let total = resources + executorResources
        if !remaining.contains(total) {
            return "Task uses more resources \(Self.describe(total)) than available \(Self.describe(remaining))"
        }
        return nil
    }

    static func describe(_ bag: ResourceBag) -> String {
        var parts = bag.scalars.keys.sorted().map { "\($0):\(bag.scalars[$0]!)" }
        if !bag.ports.isEmpty { parts.append("ports:\(bag.ports)") }
        return parts.joined(separator: "; ")
    }

    /// Hands launched tasks to the agent: real processes, or a timer in virtual mode.
    private func startTasks(_ keys: [TaskKey], on agent: AgentRecord) async {
        guard !keys.isEmpty else { return }
        if config.virtual {
            let delay = config.virtualStartDelay
            Task { [weak self] in
                if delay > 0 { try? await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
                await self?.virtualStarted(keys)
            }
            return
        }
        guard let supervisor else { return }
        for key in keys {
            guard let task = tasks[key] else { continue }
            if task.executorID != nil {
                deliverToExecutor(key)
                continue
            }
            let launch = TaskLaunch(key: key, agentID: agent.id, info: task.info, host: agent.hostname,
                                    sandbox: task.sandbox, ports: task.resources.ports.all,
                                    memoryLimitMB: task.resources.scalars["mem"])
            Task { await supervisor.launch(launch) }
        }
    }

    func virtualStarted(_ keys: [TaskKey]) {
        for key in keys {
            guard let task = tasks[key], task.state == .staging else { continue }
            agentReported(AgentStatusReport(key: key, agentID: task.agentID, state: .running,
                                            healthy: task.info.healthCheck != nil ? true : nil))
        }
    }
}
