import Foundation
import Hummingbird
import Mesos

/// Routes the master's HTTP API by path. When the agents have no listeners of their own (virtual mode),
/// their files endpoints are served here too (`sharedFiles`); otherwise the master answers them as a real
/// master does: 404, and `/files/debug` `{}`.
struct MasterResponder: Sendable {
    let master: Master
    let sharedFiles: FilesEndpoint?

    func respond(to request: Request) async -> Response {
        let path = request.uri.path
        let parts = path.split(separator: "/")
        if parts.first == "files" {
            if let sharedFiles, let response = await sharedFiles.respond(to: request) { return response }
            return path == "/files/debug" ? FilesReply.json(.object([])) : FilesReply.empty(.notFound)
        }
        switch path {
        case "/api/v1/scheduler":
            return await SchedulerEndpoint(master: master).respond(to: request)
        case "/api/v1":
            var request = request
            if request.method == .post, let body = try? await request.collectBody(upTo: 16 << 20),
               AgentFilesCalls.fileCallType(body) != nil {
                guard let sharedFiles else { return FilesReply.empty(.notFound) }
                return AgentFilesCalls.respond(body, attachments: await sharedFiles.attachments())
            }
            return await OperatorEndpoint(master: master).respond(to: request)
        case "/master/health", "/health":
            return Response(status: .ok)
        case "/version":
            let version = master.config.version
            return Reply.json(JSONValue.object(["version": .string(version), "git_sha": "converge-dev-cluster",
                                                "build_user": "converge", "build_time": 0]))
        case "/master/redirect", "/redirect":
            let leader = await master.leaderRedirect
            let target: String
            if let leader { target = leader } else { target = await master.address }
            return Reply.redirect(to: "//\(target)")
        default:
            break
        }
        if parts.first == "admin" {
            return await AdminEndpoints(master: master).respond(to: request, path: parts)
        }
        if parts.first == "master" || path == "/state" || path == "/state.json" {
            if let leader = await master.leaderRedirect { return Reply.redirect(to: "//\(leader)\(path)") }
            switch parts.last {
            case "state", "state.json": return Reply.json(await master.stateJSON())
            case "slaves": return Reply.json(await master.slavesJSON())
            case "frameworks": return Reply.json(await master.frameworksJSON())
            case "tasks", "tasks.json":
                let query = request.uri.queryParameters
                let limit = query["limit"].flatMap { Int(String($0)) } ?? 100
                let offset = query["offset"].flatMap { Int(String($0)) } ?? 0
                return Reply.json(await master.tasksJSON(
                    frameworkID: query["framework_id"].map(String.init), taskID: query["task_id"].map(String.init),
                    limit: limit, offset: offset, order: query["order"].map(String.init) ?? "des"))
            default: break
            }
        }
        return Reply.text(.notFound)
    }
}

/// One agent's own listener (on its loopback address): /api/v1/executor, /files, `POST /api/v1` file calls, /state, /health.
struct AgentResponder: Sendable {
    let master: Master
    let agentID: AgentID

    var files: FilesEndpoint {
        FilesEndpoint { [master, agentID] in await master.fileAttachments(agentID: agentID) }
    }

    func respond(to request: Request) async -> Response {
        if let response = await files.respond(to: request) { return response }
        switch request.uri.path {
        case "/api/v1/executor", "/slave(1)/api/v1/executor":
            return await ExecutorEndpoint(master: master, agentID: agentID).respond(to: request)
        case "/api/v1":
            guard request.method == .post else { return Reply.methodNotAllowed("POST", got: request.method) }
            var request = request
            guard let body = try? await request.collectBody(upTo: 16 << 20) else {
                return Reply.text(.contentTooLarge, "Request body too large")
            }
            guard AgentFilesCalls.fileCallType(body) != nil else { return Reply.text(.notImplemented) }
            return AgentFilesCalls.respond(body, attachments: await master.fileAttachments(agentID: agentID))
        case "/health", "/slave(1)/health": return Response(status: .ok)
        case "/state", "/state.json", "/slave(1)/state", "/slave(1)/state.json":
            guard let state = await master.agentStateJSON(agentID) else { return Reply.text(.notFound) }
            return Reply.json(state)
        default: return Reply.text(.notFound)
        }
    }
}
