/// Convenience calls; each uses the framework id from SUBSCRIBED and throws `MesosError`.
extension SchedulerClient {
    /// ACCEPT: launch tasks (or other operations) on offers.
    public func accept(offerIDs: [OfferID], operations: [OfferOperation], filters: Filters? = nil) async throws {
        try await call(.accept(try requireFrameworkID(), offerIDs: offerIDs, operations: operations, filters: filters))
    }

    /// ACCEPT with one LAUNCH of these tasks.
    public func launch(offerIDs: [OfferID], tasks: [TaskInfo], filters: Filters? = nil) async throws {
        try await accept(offerIDs: offerIDs, operations: [.launch(tasks)], filters: filters)
    }

    /// DECLINE offers; `refuseSeconds` keeps them away that long (Mesos default 5 s).
    public func decline(offerIDs: [OfferID], refuseSeconds: Double? = nil) async throws {
        try await call(.decline(try requireFrameworkID(), offerIDs: offerIDs,
                                filters: refuseSeconds.map { Filters(refuseSeconds: $0) }))
    }

    /// REVIVE: ask for offers again (all roles when empty).
    public func revive(roles: [String] = []) async throws {
        try await call(.revive(try requireFrameworkID(), roles: roles))
    }

    /// SUPPRESS: stop offers (all roles when empty).
    public func suppress(roles: [String] = []) async throws {
        try await call(.suppress(try requireFrameworkID(), roles: roles))
    }

    /// KILL a task, optionally overriding its kill policy's grace period.
    public func kill(taskID: TaskID, agentID: AgentID?, gracePeriodSeconds: Double? = nil) async throws {
        try await call(.kill(try requireFrameworkID(), taskID: taskID, agentID: agentID,
                             killPolicy: gracePeriodSeconds.map { KillPolicy(gracePeriodSeconds: $0) }))
    }

    /// ACKNOWLEDGE a status update. Updates without a uuid (reconciliation answers) need none: returns false.
    @discardableResult
    public func acknowledge(_ status: TaskStatus) async throws -> Bool {
        guard let uuid = status.uuid, let agentID = status.agentID else { return false }
        try await call(.acknowledge(try requireFrameworkID(), agentID: agentID, taskID: status.taskID, uuid: uuid))
        return true
    }

    /// RECONCILE these tasks; an empty list asks for every task the master knows (implicit).
    public func reconcile(tasks: [Call.Reconcile.Task]) async throws {
        try await call(.reconcile(try requireFrameworkID(), tasks: tasks))
    }

    /// TEARDOWN: ends the framework and kills all its tasks.
    public func teardown() async throws {
        try await call(.teardown(try requireFrameworkID()))
    }

    /// ACCEPT_INVERSE_OFFERS (maintenance: the framework agrees to give the agent back).
    public func acceptInverseOffers(_ inverseOfferIDs: [OfferID], refuseSeconds: Double? = nil) async throws {
        try await call(.acceptInverseOffers(try requireFrameworkID(), inverseOfferIDs: inverseOfferIDs,
                                            filters: refuseSeconds.map { Filters(refuseSeconds: $0) }))
    }

    /// DECLINE_INVERSE_OFFERS.
    public func declineInverseOffers(_ inverseOfferIDs: [OfferID], refuseSeconds: Double? = nil) async throws {
        try await call(.declineInverseOffers(try requireFrameworkID(), inverseOfferIDs: inverseOfferIDs,
                                             filters: refuseSeconds.map { Filters(refuseSeconds: $0) }))
    }
}
