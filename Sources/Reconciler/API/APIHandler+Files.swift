import Foundation
import Hummingbird
import Mesos
import Scheduler

extension APIHandler {
    /// `GET /api/v1/services/{name}/tasks/{taskId}/files?path=` and `.../files/read?path=&offset=&length=`.
    func taskFiles(_ parts: [String], request: Request) async -> Response {
        let name = parts[1], taskID = parts[3]
        let query = request.uri.queryParameters
        let relative: String
        do { relative = try SandboxPath.validate(query["path"].map(String.init) ?? (parts.count == 6 ? "stdout" : "")) } catch {
            return APIReply.error(.badRequest, error.description)
        }
        let state = await handle.state()
        if let refusal = Self.taskRefusal(state, service: name, taskID: taskID) { return refusal }
        guard let files = logs.files, let frameworkID = state.core.frameworkID else {
            return APIReply.error(.serviceUnavailable, "this controller cannot read agents' files (no Mesos connection yet)")
        }
        let location: SandboxLocation
        do {
            guard let found = try await logs.sandboxes.location(frameworkID: frameworkID, taskID: taskID, files: files) else {
                return Self.goneSandbox(name, taskID)
            }
            location = found
        } catch {
            return APIReply.error(.badGateway, "cannot read /master/state: \(error)")
        }
        let path = relative.isEmpty ? location.directory : location.directory + "/" + relative
        do {
            if parts.count == 5 {
                let entries = try await files.browse(agent: location.agent, path: path)
                let shown: [APIJSON] = entries.map { entry in
                    let inside = String(entry.path.dropFirst(location.directory.count + 1))
                    return .object([("path", .string(inside)), ("size", .int(Int(entry.size))), ("mode", .string(entry.mode)),
                                    ("directory", .bool(entry.isDirectory)), ("mtime", .date(Date(timeIntervalSince1970: entry.mtime)))])
                }
                return APIReply.json(.object([("task", .string(taskID)), ("path", .string(relative)), ("entries", .array(shown))]))
            }
            var offset: Int64?
            if let text = query["offset"] {
                guard let value = Int64(text), value >= -1 else { return APIReply.error(.badRequest, "offset must be a number >= -1") }
                offset = value == -1 ? nil : value
            }
            var length: Int64?
            if let text = query["length"] {
                guard let value = Int64(text), value >= -1 else { return APIReply.error(.badRequest, "length must be a number >= -1") }
                length = value == -1 ? nil : value
            }
            let chunk = try await files.read(agent: location.agent, path: path, offset: offset, length: length)
            return APIReply.json(FileChunkDocument.json(path: relative, chunk: chunk))
        } catch let error as MesosError {
            switch error.status {
            case 404:
                // Tell a missing file from a sandbox that is gone.
                if (try? await files.browse(agent: location.agent, path: location.directory)) != nil {
                    return APIReply.error(.notFound, "no file \(relative) in the sandbox of task \(taskID)")
                }
                return Self.goneSandbox(name, taskID)
            case 400, 500:
                return APIReply.error(.badRequest, "the agent refused \(relative.isEmpty ? "the sandbox" : relative): \(Self.agentMessage(error))")
            default:
                return APIReply.error(.badGateway, "cannot read the agent's files: \(error)")
            }
        } catch {
            return APIReply.error(.badGateway, "cannot read the agent's files: \(error)")
        }
    }

    /// 404 unless the task is one of the service's (any state the controller still remembers).
    static func taskRefusal(_ state: ControllerState, service: String, taskID: String) -> Response? {
        guard let snapshot = state.core.services[service] else {
            if state.desired[service] != nil { return APIReply.error(.notFound, "service \(service) has no tasks yet") }
            return APIReply.error(.notFound, "no service named \(service)")
        }
        if snapshot.tasks.contains(where: { $0.taskID == taskID }) { return nil }
        if state.core.services.values.contains(where: { $0.tasks.contains { $0.taskID == taskID } }) {
            return APIReply.error(.notFound, "task \(taskID) is not a task of service \(service)")
        }
        return APIReply.error(.notFound, "no task \(taskID) in service \(service) (ended long ago?); archived logs: "
            + "GET /api/v1/services/\(service)/archive?task=\(taskID)")
    }

    static func goneSandbox(_ service: String, _ taskID: String) -> Response {
        APIReply.error(.notFound, "the sandbox of task \(taskID) is gone; archived logs: GET /api/v1/services/\(service)/archive?task=\(taskID)"
            + " (converge logs \(service) --archived --task \(taskID))")
    }

    static func agentMessage(_ error: MesosError) -> String {
        switch error {
        case .badRequest(let message, _), .unexpectedStatus(_, let message, _): return message
        default: return error.description
        }
    }
}

/// A `/files/read` answer as the controller gives it: `offset` as Mesos (the size when no offset was
/// asked), and `data` as UTF-8 text when the bytes are valid UTF-8 (`"encoding": "utf-8"`), else base64
/// (`"encoding": "base64"`), so JSON never carries invalid UTF-8. `length` is the number of bytes.
enum FileChunkDocument {
    static func json(path: String, chunk: FileBytes) -> APIJSON {
        let text = String(validating: chunk.data, as: UTF8.self)
        return .object([
            ("path", .string(path)), ("offset", .int(Int(chunk.offset))), ("length", .int(chunk.data.count)),
            ("encoding", .string(text == nil ? "base64" : "utf-8")),
            ("data", .string(text ?? Data(chunk.data).base64EncodedString())),
        ])
    }
}
