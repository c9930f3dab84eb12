import Foundation
import Hummingbird
import Mesos

/// POST /api/v1/executor on an agent's own listener, checked in the order a Mesos 1.11 agent
/// checks it (MESOS-EXECUTOR.md 1.3, 1.4 and 1.9).
struct ExecutorEndpoint: Sendable {
    let master: Master
    let agentID: AgentID

    func respond(to request: Request) async -> Response {
        guard request.method == .post else {
            var response = Reply.methodNotAllowed("POST", got: request.method)
            response.body = ResponseBody(byteBuffer: ByteBuffer(
                string: "405 Method Not Allowed. Expecting one of { 'POST' }, but received '\(request.method.rawValue)'."))
            return response
        }
        guard let contentType = request.headers[.contentType] else {
            return Reply.text(.badRequest, "Expecting 'Content-Type' to be present")
        }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard mediaType == "application/json" else {
            if mediaType == "application/x-protobuf" {
                return Reply.text(.unsupportedMediaType, "The dev cluster speaks application/json only")
            }
            return Reply.text(.unsupportedMediaType, "Expecting 'Content-Type' of application/json or application/x-protobuf")
        }
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: 64 << 20) } catch {
            return Reply.text(.contentTooLarge, "Request body too large")
        }
        let call: ExecutorCall
        switch ExecutorCallParser.parse(Data(buffer: body)) {
        case let .failure(problem): return Reply.text(.badRequest, problem.message)
        case let .success(parsed): call = parsed
        }
        if call.type == .subscribe, !Reply.acceptsJSON(request) {
            return Reply.text(.notAcceptable, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'")
        }
        switch await master.executorCall(call, agentID: agentID) {
        case .accepted: return Response(status: .accepted, headers: [.contentLength: "0"])
        case let .badRequest(message): return Reply.text(.badRequest, message)
        case let .forbidden(message): return Reply.text(.forbidden, message)
        case let .unavailable(message): return Reply.text(.serviceUnavailable, message)
        case let .stream(stream): return streaming(stream)
        }
    }

    /// 200, chunked RecordIO, no Mesos-Stream-Id.
    private func streaming(_ stream: EventStream) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            do {
                for await buffer in stream.buffers { try await writer.write(buffer) }
                try await writer.finish(nil)
            } catch {
                // The executor went away.
            }
            stream.close()
        })
    }
}

/// Turns a request body into an ExecutorCall with the agent's error messages.
enum ExecutorCallParser {
    struct Problem: Error { var message: String }

    static func parse(_ data: Data) -> Result<ExecutorCall, Problem> {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            return .failure(Problem(message: "Failed to parse body into JSON: syntax error at line 1 near: \(near(data))"))
        }
        let convert = "Failed to convert JSON into Call protobuf: "
        let validate = "Failed to validate Executor::Call: "
        guard let json = object as? [String: Any] else { return .failure(Problem(message: convert + "Expecting a JSON object")) }
        let missing = ["executor_id", "framework_id"].filter { json[$0] == nil }
        if !missing.isEmpty {
            return .failure(Problem(message: convert + "Missing required fields: " + missing.joined(separator: ", ")))
        }
        let update = (json["update"] as? [String: Any])?["status"] as? [String: Any]
        if let update {
            if let state = update["state"] as? String, !TaskState.allKnown.map(\.rawValue).contains(state) {
                return .failure(Problem(message: convert + "Failed to find enum for '\(state)'"))
            }
            if let source = update["source"] as? String,
               !["SOURCE_MASTER", "SOURCE_AGENT", "SOURCE_EXECUTOR"].contains(source) {
                return .failure(Problem(message: convert + "Failed to find enum for '\(source)'"))
            }
            if let uuid = update["uuid"] as? String, Data(base64Encoded: uuid) == nil {
                let bad = uuid.first { !($0.isLetter && $0.isASCII) && !$0.isNumber && !"+/=".contains($0) } ?? "?"
                return .failure(Problem(message: convert + "Failed to base64 decode bytes field 'uuid': Invalid character '\(bad)'"))
            }
        }
        let call: ExecutorCall
        do {
            call = try MesosJSON.decode(ExecutorCall.self, from: data)
        } catch {
            return .failure(Problem(message: convert + Reply.describe(error)))
        }
        let known: [ExecutorCall.CallType] = [.subscribe, .update, .message, .heartbeat]
        guard known.contains(call.type) else { return .failure(Problem(message: validate + "Expecting 'type' to be present")) }
        let who = "executor \(call.executorID.value) of framework \(call.frameworkID.value)"
        switch call.type {
        case .update:
            guard let status = call.update?.status else { return .failure(Problem(message: validate + "Expecting 'update' to be present")) }
            guard let uuid = status.uuid else { return .failure(Problem(message: validate + "Expecting 'uuid' to be present")) }
            guard uuid.data.count == 16 else { return .failure(Problem(message: validate + "Not a valid UUID")) }
            if status.state == .staging {
                return .failure(Problem(message: validate + "Received TASK_STAGING from \(who) which is not allowed"))
            }
            if status.source != .executor {
                return .failure(Problem(message: validate + "Received Call from \(who) with invalid source, expecting 'SOURCE_EXECUTOR'"))
            }
        case .message where call.message == nil:
            return .failure(Problem(message: validate + "Expecting 'message' to be present"))
        default: break
        }
        return .success(call)
    }

    /// The text from where a JSON parser would stop, as picojson reports it.
    private static func near(_ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        var index = text.startIndex
        while index < text.endIndex, text[index].isWhitespace || "{[".contains(text[index]) { index = text.index(after: index) }
        return String(text[index...])
    }
}
