import Foundation
import Hummingbird
import Mesos

/// Fault injection under /admin (see docs/devcluster.md).
struct AdminEndpoints: Sendable {
    let master: Master

    static let help: [String] = [
        "GET  /admin                                      this list",
        "POST /admin/agents/{id|hostname}/stop            the agent dies with its tasks",
        "POST /admin/agents/{id|hostname}/unreachable     a stopped agent is marked unreachable now",
        "POST /admin/agents/{id|hostname}/restart         a stopped agent comes back, empty",
        "POST /admin/agents/{id|hostname}/partition       cut the agent off; its processes keep running",
        "POST /admin/agents/{id|hostname}/heal            a partitioned agent re-registers with its tasks",
        "POST /admin/agents/{id|hostname}/restart-process the agent process restarts: executor streams close, executors re-subscribe",
        "POST /admin/tasks/kill?framework_id=F&task_id=T  SIGKILL the task's process group",
        "POST /admin/frameworks/{id}/disconnect           drop the framework's subscription connection",
        "POST /admin/heartbeats?enabled=false|true        silence or resume HEARTBEAT events",
        "POST /admin/master/restart?recovery_seconds=S    master failover keeping the registry",
        "POST /admin/master/standby?leader=HOST:PORT      answer 307 to that leader; DELETE to lead again",
        "POST /admin/master/failover                      the standby address takes over (its znode leads)",
        "GET  /admin/processes                            process groups of every task started",
    ]

    func respond(to request: Request, path: [Substring]) async -> Response {
        // path: ["admin", ...]
        let query = request.uri.queryParameters
        let rest = path.dropFirst().map(String.init)
        let method = request.method
        if method == .get, rest.isEmpty {
            return Reply.json(JSONValue.object(["endpoints": .array(Self.help.map { .string($0) })]))
        }
        if method == .get, rest == ["processes"] {
            let groups = await master.processGroups()
            return Reply.json(JSONValue.object(["process_groups": .array(groups.map { .number(Double($0)) })]))
        }
        if method == .post, rest.count == 3, rest[0] == "agents" {
            let name = rest[1], action = rest[2]
            guard let id = await agentID(name) else { return Reply.text(.notFound, "Unknown agent '\(name)'") }
            let done: Bool
            switch action {
            case "stop": done = await master.stopAgent(id)
            case "partition": done = await master.partitionAgent(id)
            case "heal": done = await master.healAgent(id)
            case "restart": done = await master.restartAgent(id)
            case "restart-process": done = await master.restartAgentProcess(id)
            case "unreachable":
                await master.markUnreachable(id)
                done = true
            default: return Reply.text(.notFound, "Unknown action '\(action)'")
            }
            return done ? Reply.json(JSONValue.object(["agent_id": .string(id.value)]))
                : Reply.text(.conflict, "Agent is not in a state for '\(action)'")
        }
        if method == .post, rest == ["tasks", "kill"] {
            guard let framework = query["framework_id"], let task = query["task_id"] else {
                return Reply.text(.badRequest, "Expecting 'framework_id' and 'task_id' in query")
            }
            let key = TaskKey(frameworkID: FrameworkID(String(framework)), taskID: TaskID(String(task)))
            return await master.killTaskProcess(key) ? Response(status: .ok) : Reply.text(.notFound, "No running process for that task")
        }
        if method == .post, rest.count == 3, rest[0] == "frameworks", rest[2] == "disconnect" {
            return await master.dropConnection(FrameworkID(rest[1])) ? Response(status: .ok)
                : Reply.text(.notFound, "Framework is not connected")
        }
        if method == .post, rest == ["heartbeats"] {
            let enabled = query["enabled"].map { $0 != "false" && $0 != "0" } ?? true
            await master.silenceHeartbeats(!enabled)
            return Response(status: .ok)
        }
        if method == .post, rest == ["master", "restart"] {
            let recovery = query["recovery_seconds"].flatMap { Double(String($0)) } ?? 0
            await master.restart(recovery: recovery)
            return Response(status: .ok)
        }
        if method == .post, rest == ["master", "failover"] {
            guard let standby = await master.standbyAddress else {
                return Reply.text(.conflict, "No standby address (start with --standby)")
            }
            do {
                try await master.failOver(to: standby)
                return Response(status: .ok)
            } catch {
                return Reply.text(.internalServerError, "\(error)")
            }
        }
        if rest == ["master", "standby"] {
            if method == .delete {
                await master.setStandby(leader: nil)
                return Response(status: .ok)
            }
            guard method == .post else { return Reply.methodNotAllowed("POST, DELETE", got: method) }
            guard let leader = query["leader"], !leader.isEmpty else { return Reply.text(.badRequest, "Expecting 'leader=HOST:PORT'") }
            await master.setStandby(leader: String(leader))
            return Response(status: .ok)
        }
        return Reply.text(.notFound, "Unknown admin endpoint; GET /admin lists them")
    }

    private func agentID(_ name: String) async -> AgentID? {
        if await master.agentRecord(AgentID(name)) != nil { return AgentID(name) }
        return await master.agentForHost(name)
    }
}
