import Foundation
import Mesos

/// A call the driver sends to the master, in order, off the actor (the actor never waits on the network).
enum OutboundCall: Sendable {
    case launch(offerIDs: [String], tasks: [TaskInfo], refuseSeconds: Double)
    case decline(offerIDs: [String], refuseSeconds: Double)
    case kill(taskID: String, agentID: String?, graceSeconds: Double?)
    case acknowledge(TaskStatus)
    case reconcile([Call.Reconcile.Task])
    case revive
    case suppress
    case acceptInverseOffers([String])

    var name: String {
        switch self {
        case .launch: "ACCEPT"
        case .decline: "DECLINE"
        case .kill: "KILL"
        case .acknowledge: "ACKNOWLEDGE"
        case .reconcile: "RECONCILE"
        case .revive: "REVIVE"
        case .suppress: "SUPPRESS"
        case .acceptInverseOffers: "ACCEPT_INVERSE_OFFERS"
        }
    }

    func send(with client: SchedulerClient) async throws {
        switch self {
        case .launch(let offerIDs, let tasks, let refuse):
            try await client.launch(offerIDs: offerIDs.map { OfferID($0) }, tasks: tasks, filters: Filters(refuseSeconds: refuse))
        case .decline(let offerIDs, let refuse):
            try await client.decline(offerIDs: offerIDs.map { OfferID($0) }, refuseSeconds: refuse)
        case .kill(let taskID, let agentID, let grace):
            try await client.kill(taskID: TaskID(taskID), agentID: agentID.map { AgentID($0) }, gracePeriodSeconds: grace)
        case .acknowledge(let status):
            try await client.acknowledge(status)
        case .reconcile(let tasks):
            try await client.reconcile(tasks: tasks)
        case .revive:
            try await client.revive()
        case .suppress:
            try await client.suppress()
        case .acceptInverseOffers(let ids):
            try await client.acceptInverseOffers(ids.map { OfferID($0) })
        }
    }
}
