import Foundation
import Hummingbird
import Mesos

/// POST /api/v1/scheduler, checked in the order the Mesos master checks a request.
struct SchedulerEndpoint: Sendable {
    let master: Master

    func respond(to request: Request) async -> Response {
        if let response = await MasterGate.checkJSONPost(master, request) { return response }
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: 64 << 20) } catch {
            return Reply.text(.contentTooLarge, "Request body too large")
        }
        let data = Data(buffer: body)
        guard (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
            return Reply.text(.badRequest, "Failed to parse body into JSON: invalid JSON")
        }
        let call: Call
        do {
            call = try MesosJSON.decode(Call.self, from: data)
        } catch {
            return Reply.text(.badRequest, "Failed to convert JSON into Call protobuf: \(Reply.describe(error))")
        }
        if let problem = CallValidation.validate(call) {
            return Reply.text(.badRequest, "Failed to validate scheduler::Call: \(problem)")
        }
        if call.type == .subscribe {
            guard Reply.acceptsJSON(request) else {
                return Reply.text(.notAcceptable, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'")
            }
            if request.headers[Reply.streamIDHeader] != nil {
                return Reply.text(.badRequest, "Subscribe calls should not include the 'Mesos-Stream-Id' header")
            }
            return await subscribe(call.subscribe!)
        }
        let outcome = await master.handle(call, streamID: request.headers[Reply.streamIDHeader])
        switch outcome {
        case .accepted: return Response(status: .accepted)
        case let .badRequest(message): return Reply.text(.badRequest, message)
        case let .forbidden(message): return Reply.text(.forbidden, message)
        case .notImplemented: return Reply.text(.notImplemented)
        }
    }

    private func subscribe(_ subscribe: Call.Subscribe) async -> Response {
        let stream = await master.subscribe(subscribe)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[Reply.streamIDHeader] = stream.id
        let master = self.master
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            do {
                for await buffer in stream.buffers { try await writer.write(buffer) }
                try await writer.finish(nil)
            } catch {
                // The client went away; fall through to tell the master.
            }
            await master.streamClosed(stream.id, frameworkID: stream.frameworkID)
        })
    }
}

/// Standby and recovery answers shared by the master's API endpoints.
enum MasterGate {
    static func check(_ master: Master, path: String) async -> Response? {
        if let leader = await master.leaderRedirect { return Reply.redirect(to: "//\(leader)\(path)") }
        if await master.isRecovering { return Reply.text(.serviceUnavailable, "Master has not finished recovery") }
        return nil
    }

    /// The checks every JSON API endpoint makes before reading the body, in the master's order:
    /// leadership and recovery, then the method, then Content-Type (missing: 400; other: 415).
    static func checkJSONPost(_ master: Master, _ request: Request) async -> Response? {
        if let response = await check(master, path: request.uri.path) { return response }
        guard request.method == .post else { return Reply.methodNotAllowed("POST", got: request.method) }
        guard let contentType = request.headers[.contentType] else {
            return Reply.text(.badRequest, "Expecting 'Content-Type' to be present")
        }
        guard contentType == "application/json" else {
            return Reply.text(.unsupportedMediaType, "Expecting 'Content-Type' of application/json or application/x-protobuf")
        }
        return nil
    }
}

/// The per-type checks of validation::scheduler::call::validate.
enum CallValidation {
    static func validate(_ call: Call) -> String? {
        if call.type == .subscribe {
            guard let subscribe = call.subscribe else { return "Expecting 'subscribe' to be present" }
            if subscribe.frameworkInfo.id != call.frameworkID {
                return "'framework_id' differs from 'subscribe.framework_info.id'"
            }
            return nil
        }
        guard call.frameworkID != nil else { return "Expecting 'framework_id' to be present" }
        switch call.type {
        case .accept where call.accept == nil: return "Expecting 'accept' to be present"
        case .decline where call.decline == nil: return "Expecting 'decline' to be present"
        case .acceptInverseOffers where call.acceptInverseOffers == nil: return "Expecting 'accept_inverse_offers' to be present"
        case .declineInverseOffers where call.declineInverseOffers == nil: return "Expecting 'decline_inverse_offers' to be present"
        case .kill where call.kill == nil: return "Expecting 'kill' to be present"
        case .shutdown where call.shutdown == nil: return "Expecting 'shutdown' to be present"
        case .reconcile where call.reconcile == nil: return "Expecting 'reconcile' to be present"
        case .message where call.message == nil: return "Expecting 'message' to be present"
        case .request where call.request == nil: return "Expecting 'request' to be present"
        case .acknowledge:
            guard let ack = call.acknowledge else { return "Expecting 'acknowledge' to be present" }
            if ack.uuid.data.count != 16 { return "Invalid UUID in 'acknowledge.uuid'" }
            return nil
        default: return nil
        }
    }
}

/// What the master made of a (non-SUBSCRIBE) call.
enum CallOutcome: Sendable, Equatable {
    case accepted
    case badRequest(String)
    case forbidden(String)
    case notImplemented
}

extension Master {
    var isRecovering: Bool { recoveringUntil.map { Date() < $0 } ?? false }

    /// Framework lookup, subscription and stream checks, then the call itself.
    func handle(_ call: Call, streamID: String?) async -> CallOutcome {
        guard let frameworkID = call.frameworkID, let framework = frameworks[frameworkID] else {
            return .badRequest("Framework cannot be found")
        }
        guard let stream = framework.stream else { return .forbidden("Framework is not subscribed") }
        guard let streamID else {
            return .badRequest("All non-subscribe calls should include the 'Mesos-Stream-Id' header")
        }
        guard streamID == stream.id else {
            return .badRequest("The stream ID '\(streamID)' included in this request didn't match the stream ID currently associated with framework ID \(frameworkID.value)")
        }
        switch call.type {
        case .teardown: await removeFramework(frameworkID, reason: "teardown")
        case .accept: await accept(frameworkID, call.accept!)
        case .decline: decline(frameworkID, call.decline!)
        case .acceptInverseOffers: answerInverseOffers(frameworkID, call.acceptInverseOffers!, accepted: true)
        case .declineInverseOffers: answerInverseOffers(frameworkID, call.declineInverseOffers!, accepted: false)
        case .revive: revive(frameworkID, roles: call.revive?.roles ?? [])
        case .suppress: suppress(frameworkID, roles: call.suppress?.roles ?? [])
        case .kill: await kill(frameworkID, call.kill!)
        case .acknowledge: acknowledge(frameworkID, call.acknowledge!)
        case .reconcile: reconcile(frameworkID, call.reconcile!)
        case .shutdown:
            if let shutdown = call.shutdown {
                shutdownExecutor(ExecutorKey(agentID: shutdown.agentID, frameworkID: frameworkID, executorID: shutdown.executorID))
            }
        case .message: messageToExecutor(frameworkID, call.message!)
        case .request: break // advisory
        default: return .notImplemented
        }
        return .accepted
    }
}
