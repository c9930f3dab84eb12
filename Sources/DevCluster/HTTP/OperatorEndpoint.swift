import Foundation
import Hummingbird
import Mesos

/// POST /api/v1: the operator calls the dev master supports.
struct OperatorEndpoint: Sendable {
    let master: Master

    func respond(to request: Request) async -> Response {
        if let response = await MasterGate.checkJSONPost(master, request) { return response }
        var request = request
        guard let body = try? await request.collectBody(upTo: 16 << 20) else {
            return Reply.text(.contentTooLarge, "Request body too large")
        }
        let call: OperatorCall
        do {
            call = try MesosJSON.decode(OperatorCall.self, from: Data(buffer: body))
        } catch {
            return Reply.text(.badRequest, "Failed to convert JSON into Call protobuf: \(Reply.describe(error))")
        }
        guard Reply.acceptsJSON(request) else {
            return Reply.text(.notAcceptable, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'")
        }
        let outcome: OperatorOutcome
        switch call.type {
        case .getHealth:
            return Reply.json(JSONValue.object(["type": "GET_HEALTH", "get_health": .object(["healthy": true])]))
        case .getVersion:
            let version = await master.config.version
            return Reply.json(JSONValue.object(["type": "GET_VERSION", "get_version": .object([
                "version_info": .object(["version": .string(version)])])]))
        case .getMaintenanceSchedule:
            let schedule = await master.schedule
            return Reply.json(JSONValue.object(["type": "GET_MAINTENANCE_SCHEDULE",
                                                "get_maintenance_schedule": .object(["schedule": .wire(schedule)])]))
        case .drainAgent:
            guard let drain = call.drainAgent else { return Reply.text(.badRequest, "Expecting 'drain_agent' to be present") }
            outcome = await master.drain(drain)
        case .deactivateAgent:
            guard let ref = call.deactivateAgent else { return Reply.text(.badRequest, "Expecting 'deactivate_agent' to be present") }
            outcome = await master.deactivate(ref.agentID)
        case .reactivateAgent:
            guard let ref = call.reactivateAgent else { return Reply.text(.badRequest, "Expecting 'reactivate_agent' to be present") }
            outcome = await master.reactivate(ref.agentID)
        case .updateMaintenanceSchedule:
            guard let update = call.updateMaintenanceSchedule else {
                return Reply.text(.badRequest, "Expecting 'update_maintenance_schedule' to be present")
            }
            outcome = await master.updateSchedule(update.schedule)
        case .startMaintenance:
            guard let machines = call.startMaintenance else { return Reply.text(.badRequest, "Expecting 'start_maintenance' to be present") }
            outcome = await master.startMaintenance(machines.machines)
        case .stopMaintenance:
            guard let machines = call.stopMaintenance else { return Reply.text(.badRequest, "Expecting 'stop_maintenance' to be present") }
            outcome = await master.stopMaintenance(machines.machines)
        default:
            return Reply.text(.notImplemented)
        }
        switch outcome {
        case .ok: return Response(status: .ok)
        case let .badRequest(message): return Reply.text(.badRequest, message)
        }
    }
}
