import Foundation
import Testing
@testable import DevCluster

/// The path with every symlink resolved (realpath(3)).
func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// A LAUNCH of a task run by a CUSTOM executor.
func executorTask(_ id: String, agent: Any, executorID: String, command: String, shell: Bool = true,
                  executor: [String: Any] = [:], extra: [String: Any] = [:]) -> [String: Any] {
    var info: [String: Any] = [
        "executor_id": ["value": executorID], "type": "CUSTOM", "name": "exec \(executorID)",
        "command": ["value": command, "shell": shell, "environment": ["variables": [["name": "EXEC_MODE", "value": "normal"]]]],
        "resources": [["name": "cpus", "type": "SCALAR", "scalar": ["value": 0.1]],
                      ["name": "mem", "type": "SCALAR", "scalar": ["value": 32]]],
    ]
    for (key, value) in executor { info[key] = value }
    var task: [String: Any] = [
        "task_id": ["value": id], "agent_id": agent, "name": id, "executor": info,
        "resources": [["name": "cpus", "type": "SCALAR", "scalar": ["value": 0.1]],
                      ["name": "mem", "type": "SCALAR", "scalar": ["value": 32]]],
        "data": Data("sleep 300".utf8).base64EncodedString(),
    ]
    for (key, value) in extra { task[key] = value }
    return task
}

/// The agent's executor endpoint (MESOS-EXECUTOR.md section 1), with the test playing the
/// executor over raw HTTP; the executor process the agent starts is a shell that only sleeps.
@Suite(.serialized) struct ExecutorEndpointTests {
    struct Setup {
        let cluster: RunningCluster
        let scheduler: TestScheduler
        let agent: RunningCluster.Agent
        let agentObject: Any
        let usedOffers = OfferLedger()
        var frameworkID: String { scheduler.frameworkID }

        func stream(_ executorID: String, subscribe: [String: Any] = [:]) async throws -> TestExecutorStream {
            try await TestExecutorStream.subscribe(host: agent.hostname, port: agent.port, frameworkID: frameworkID,
                                                   executorID: executorID, subscribe: subscribe)
        }

        func call(_ executorID: String, _ type: String, _ payload: [String: Any]? = nil) async throws -> RawResponse {
            try await TestExecutorStream.call(host: agent.hostname, port: agent.port, frameworkID: frameworkID,
                                              executorID: executorID, type, payload)
        }

        func raw(_ method: String = "POST", headers: [(String, String)], body: String) async throws -> RawResponse {
            try await RawHTTP.send(port: agent.port, host: agent.hostname, method, "/api/v1/executor", headers: headers,
                                   body: Data(body.utf8))
        }

        func sandbox(_ executorID: String) -> String {
            "\(cluster.workDirectory)/slaves/\(agent.id.value)/frameworks/\(frameworkID)/executors/\(executorID)/runs/latest"
        }
    }

    func withExecutorCluster(checkpoint: Bool = true, configure: (inout DevClusterConfig) -> Void = { _ in },
                             _ body: (Setup) async throws -> Void) async throws {
        try await withCluster(agents: 1, portBase: 44000, configure: { config in
            config.executorRegistrationTimeout = 120
            configure(&config)
        }) { cluster in
            var framework = basicFramework
            framework["checkpoint"] = checkpoint
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: framework)
            let offer = try await scheduler.firstOffer()
            try await scheduler.call("DECLINE", ["offer_ids": [offer["id"]!], "filters": ["refuse_seconds": 0]])
            let agent = cluster.agents[0]
            let setup = Setup(cluster: cluster, scheduler: scheduler, agent: agent, agentObject: ["value": agent.id.value])
            setup.usedOffers.use(offer)
            try await body(setup)
            scheduler.close()
        }
    }

    /// Launches tasks in one ACCEPT on an outstanding offer, or the next one after a REVIVE.
    func launch(_ setup: Setup, _ tasks: [[String: Any]]) async throws {
        let offer = try await nextOffer(setup)
        try await setup.scheduler.launch(offer: offer, tasks: tasks)
    }

    func nextOffer(_ setup: Setup) async throws -> [String: Any] {
        try await Task.sleep(for: .milliseconds(100))
        let offers = setup.scheduler.allEvents.filter { $0["type"] as? String == "OFFERS" }
        let all = offers.flatMap { (($0["offers"] as? [String: Any])?["offers"] as? [[String: Any]]) ?? [] }
        if let fresh = all.last(where: { !setup.usedOffers.used($0) }) {
            setup.usedOffers.use(fresh)
            return fresh
        }
        try await setup.scheduler.call("REVIVE")
        let offer = try await setup.scheduler.offers(after: offers.count)[0]
        setup.usedOffers.use(offer)
        return offer
    }

    let sleeper = "env > executor-env.txt; exec sleep 300"

    @Test func badRequestsAnswerAsTheAgentDoes() async throws {
        try await withExecutorCluster { setup in
            try await launch(setup, [executorTask("t1", agent: setup.agentObject, executorID: "E1", command: sleeper)])
            let fw = setup.frameworkID
            let json = [("Content-Type", "application/json")]
            func expect(_ response: RawResponse, _ status: Int, _ body: String, _ line: Int = #line) {
                #expect(response.status == status, "line \(line): \(response.status) \(response.text)")
                #expect(response.text == body, "line \(line)")
                if !body.isEmpty { #expect(response.headers["content-type"] == "text/plain; charset=utf-8", "line \(line)") }
            }
            let subscribe = #"{"type":"SUBSCRIBE","framework_id":{"value":"\#(fw)"},"executor_id":{"value":"E1"},"subscribe":{}}"#
            expect(try await setup.raw(headers: [("Content-Type", "text/plain")], body: subscribe), 415,
                   "Expecting 'Content-Type' of application/json or application/x-protobuf")
            expect(try await setup.raw(headers: [], body: subscribe), 400, "Expecting 'Content-Type' to be present")
            expect(try await setup.raw(headers: json, body: "{not json"), 400,
                   "Failed to parse body into JSON: syntax error at line 1 near: not json")
            expect(try await setup.raw(headers: json, body: #"{"type":"SUBSCRIBE"}"#), 400,
                   "Failed to convert JSON into Call protobuf: Missing required fields: executor_id, framework_id")
            expect(try await setup.raw(headers: json, body: subscribe.replacingOccurrences(of: "\"SUBSCRIBE\"", with: "\"FOO\"")), 400,
                   "Failed to validate Executor::Call: Expecting 'type' to be present")
            expect(try await setup.call("NOPE", "SUBSCRIBE", [:]), 400, "Executor cannot be found")
            expect(try await TestExecutorStream.call(host: setup.agent.hostname, port: setup.agent.port, frameworkID: "no-such-fw",
                                                     executorID: "E1", "SUBSCRIBE", [:]), 400, "Framework cannot be found")
            expect(try await setup.raw(headers: json + [("Accept", "text/plain")], body: subscribe), 406,
                   "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'")
            let get = try await setup.raw("GET", headers: [], body: "")
            expect(get, 405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.")
            #expect(get.headers["allow"] == "POST")
            expect(try await setup.call("E1", "UPDATE", ["status": ["task_id": ["value": "t1"], "state": "TASK_RUNNING",
                                                                     "source": "SOURCE_EXECUTOR",
                                                                     "uuid": Data(count: 16).base64EncodedString()]]),
                   403, "Executor is not subscribed")
            expect(try await setup.call("E1", "MESSAGE", ["data": "aGk="]), 403, "Executor is not subscribed")
            expect(try await setup.call("E1", "HEARTBEAT"), 202, "")

            // SUBSCRIBE without Accept: a JSON stream.
            let noAccept = try await offload { () -> (Int, [String: String]) in
                let connection = try RawConnection(host: setup.agent.hostname, port: setup.agent.port)
                try connection.request("POST", "/api/v1/executor", headers: json, body: Data(subscribe.utf8))
                let head = try connection.readHead()
                connection.shutdownBoth()
                return head
            }
            #expect(noAccept.0 == 200)
            #expect(noAccept.1["content-type"] == "application/json")
        }
    }

    @Test func updateValidationMatchesTheAgentsTable() async throws {
        try await withExecutorCluster { setup in
            try await launch(setup, [executorTask("t1", agent: setup.agentObject, executorID: "E1", command: sleeper)])
            let stream = try await setup.stream("E1")
            try await stream.waitFor("LAUNCH")
            let fw = setup.frameworkID
            func update(_ status: [String: Any]) async throws -> RawResponse {
                try await stream.call("UPDATE", ["status": status])
            }
            let base: [String: Any] = ["task_id": ["value": "t1"], "state": "TASK_RUNNING", "source": "SOURCE_EXECUTOR"]
            func with(_ changes: [String: Any?]) -> [String: Any] {
                var status = base
                status["uuid"] = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
                for (key, value) in changes { status[key] = value }
                return status
            }
            let validate = "Failed to validate Executor::Call: "
            let cases: [([String: Any], String)] = [
                (with(["uuid": nil]), validate + "Expecting 'uuid' to be present"),
                (with(["state": "TASK_BOGUS"]), "Failed to convert JSON into Call protobuf: Failed to find enum for 'TASK_BOGUS'"),
                (with(["state": "TASK_STAGING"]), validate + "Received TASK_STAGING from executor E1 of framework \(fw) which is not allowed"),
                (with(["source": "SOURCE_AGENT"]), validate + "Received Call from executor E1 of framework \(fw) with invalid source, expecting 'SOURCE_EXECUTOR'"),
                (with(["source": nil]), validate + "Received Call from executor E1 of framework \(fw) with invalid source, expecting 'SOURCE_EXECUTOR'"),
                (with(["uuid": "YWJj"]), validate + "Not a valid UUID"),
                (with(["uuid": "not-base64!!"]), "Failed to convert JSON into Call protobuf: Failed to base64 decode bytes field 'uuid': Invalid character '-'"),
            ]
            for (status, message) in cases {
                let response = try await update(status)
                #expect(response.status == 400, "\(status): \(response.status) \(response.text)")
                #expect(response.text == message)
                #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
            }
            // None of them reached the framework.
            #expect(setup.scheduler.updates("t1").isEmpty)

            // A good one: 202 with no body, forwarded with the agent's fields; data and message unchanged.
            let (ok, uuid) = try await stream.update("t1", "TASK_RUNNING", message: "running pid 1850", data: "aGVsbG8=")
            #expect(ok.status == 202)
            #expect(ok.headers["content-length"] == "0")
            let status = try await setup.scheduler.update("t1", ["TASK_RUNNING"])
            #expect(status["message"] as? String == "running pid 1850")
            #expect(status["data"] as? String == "aGVsbG8=")
            #expect(status["source"] as? String == "SOURCE_EXECUTOR")
            #expect(status["uuid"] as? String == uuid)
            #expect((status["agent_id"] as? [String: Any])?["value"] as? String == setup.agent.id.value)
            #expect((status["executor_id"] as? [String: Any])?["value"] as? String == "E1")
            #expect(status["timestamp"] is Double)
            let container = try #require(status["container_status"] as? [String: Any])
            let subscribed = try await stream.waitFor("SUBSCRIBED")
            let containerID = ((subscribed["subscribed"] as? [String: Any])?["container_id"] as? [String: Any])?["value"] as? String
            #expect((container["container_id"] as? [String: Any])?["value"] as? String == containerID)
            #expect((container["executor_pid"] as? Int ?? 0) > 0)
            let ips = (container["network_infos"] as? [[String: Any]])?.first?["ip_addresses"] as? [[String: Any]]
            #expect(ips?.first?["ip_address"] as? String == setup.agent.hostname)

            // The scheduler's ACKNOWLEDGE reaches the executor as ACKNOWLEDGED {task_id, uuid}.
            try await setup.scheduler.acknowledge(status)
            let acked = try await stream.waitFor("ACKNOWLEDGED")
            let payload = acked["acknowledged"] as? [String: Any]
            #expect((payload?["task_id"] as? [String: Any])?["value"] as? String == "t1")
            #expect(payload?["uuid"] as? String == uuid)

            // An unknown task: 202, forwarded without executor_id or container_status, never acknowledged to the executor.
            let (unknown, _) = try await stream.update("no-such-task", "TASK_RUNNING")
            #expect(unknown.status == 202)
            let forwarded = try await setup.scheduler.update("no-such-task", ["TASK_RUNNING"])
            #expect(forwarded["executor_id"] == nil)
            #expect(forwarded["container_status"] == nil)
            try await setup.scheduler.acknowledge(forwarded)
            try await Task.sleep(for: .milliseconds(300))
            #expect(stream.types.filter { $0 == "ACKNOWLEDGED" }.count == 1)
            stream.close()
        }
    }

    @Test func subscribeStreamAndEnvironment() async throws {
        try await withExecutorCluster { setup in
            let killPolicy: [String: Any] = ["grace_period": ["nanoseconds": 4_000_000_000]]
            try await launch(setup, [executorTask("t1", agent: setup.agentObject, executorID: "E1", command: sleeper,
                                                  executor: ["shutdown_grace_period": ["nanoseconds": 3_000_000_000]],
                                                  extra: ["kill_policy": killPolicy])])
            // The executor's environment: exactly the agent's list, nothing inherited.
            let envFile = setup.sandbox("E1") + "/executor-env.txt"
            #expect(try await eventually { FileManager.default.fileExists(atPath: envFile) })
            try await Task.sleep(for: .milliseconds(200))
            let lines = try String(contentsOfFile: envFile, encoding: .utf8).split(separator: "\n")
            var environment: [String: String] = [:]
            for line in lines {
                guard let equals = line.firstIndex(of: "=") else { continue }
                environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            let real = realPath(setup.sandbox("E1"))
            let endpoint = "\(setup.agent.hostname):\(setup.agent.port)"
            let expected: [String: String] = [
                "MESOS_AGENT_ENDPOINT": endpoint, "MESOS_FRAMEWORK_ID": setup.frameworkID, "MESOS_EXECUTOR_ID": "E1",
                "MESOS_SLAVE_ID": setup.agent.id.value, "MESOS_SLAVE_PID": "slave(1)@\(endpoint)",
                "MESOS_DIRECTORY": real, "MESOS_SANDBOX": real, "MESOS_CHECKPOINT": "1",
                "MESOS_RECOVERY_TIMEOUT": "15mins", "MESOS_SUBSCRIPTION_BACKOFF_MAX": "2secs",
                "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD": "3secs", "MESOS_HTTP_COMMAND_EXECUTOR": "0",
                "LIBPROCESS_IP": setup.agent.hostname, "LIBPROCESS_PORT": "0",
                "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "PWD": real, "EXEC_MODE": "normal",
            ]
            // sh itself adds SHLVL (and `_` on some shells); everything else must be the agent's list.
            let shellOwn: Set<String> = ["SHLVL", "_", "OLDPWD"]
            #expect(environment.filter { !shellOwn.contains($0.key) } == expected)
            #expect(FileManager.default.fileExists(atPath: real + "/stdout"))
            #expect(FileManager.default.fileExists(atPath: real + "/stderr"))
            #expect((real as NSString).deletingLastPathComponent.hasSuffix("/executors/E1/runs"))

            // SUBSCRIBE: 200, chunked, JSON, no Mesos-Stream-Id; SUBSCRIBED then the queued LAUNCH.
            let stream = try await setup.stream("E1")
            #expect(stream.status == 200)
            #expect(stream.headers["transfer-encoding"] == "chunked")
            #expect(stream.headers["content-type"] == "application/json")
            #expect(stream.headers["mesos-stream-id"] == nil)
            let launched = try await stream.waitFor("LAUNCH")
            #expect(stream.types.prefix(2) == ["SUBSCRIBED", "LAUNCH"])
            let subscribed = try #require(stream.allEvents.first?["subscribed"] as? [String: Any])
            let executorInfo = try #require(subscribed["executor_info"] as? [String: Any])
            #expect((executorInfo["framework_id"] as? [String: Any])?["value"] as? String == setup.frameworkID)
            #expect(executorInfo["type"] as? String == "CUSTOM")
            #expect(((subscribed["framework_info"] as? [String: Any])?["id"] as? [String: Any])?["value"] as? String == setup.frameworkID)
            let agentInfo = try #require(subscribed["agent_info"] as? [String: Any])
            #expect(agentInfo["hostname"] as? String == setup.agent.hostname)
            #expect(agentInfo["port"] as? Int == setup.agent.port)
            #expect(subscribed["slave_info"] == nil)
            let containerID = try #require((subscribed["container_id"] as? [String: Any])?["value"] as? String)
            #expect(real.hasSuffix("/runs/" + containerID))
            let task = try #require((launched["launch"] as? [String: Any])?["task"] as? [String: Any])
            #expect(task["data"] as? String == Data("sleep 300".utf8).base64EncodedString())
            #expect(((task["kill_policy"] as? [String: Any])?["grace_period"] as? [String: Any])?["nanoseconds"] as? Int == 4_000_000_000)
            #expect((task["executor"] as? [String: Any])?["framework_id"] != nil)

            // A second task for the same executor: another LAUNCH on the same stream, no new process;
            // offers shrink by the executor's resources only once.
            try await launch(setup, [executorTask("t2", agent: setup.agentObject, executorID: "E1", command: sleeper)])
            let second = try await stream.waitFor("LAUNCH", skipping: 1)
            #expect((((second["launch"] as? [String: Any])?["task"] as? [String: Any])?["task_id"] as? [String: Any])?["value"] as? String == "t2")
            let state = try await RawHTTP.send(port: setup.agent.port, host: setup.agent.hostname, "GET", "/state").json()
            let executors = (((state["frameworks"] as? [[String: Any]])?.first)?["executors"] as? [[String: Any]]) ?? []
            #expect(executors.count == 1)
            let executor = try #require(executors.first)
            #expect(executor["id"] as? String == "E1")
            #expect(executor["type"] as? String == "CUSTOM")
            #expect(executor["container"] as? String == containerID)
            #expect((executor["directory"] as? String).map(realPath) == real)
            #expect(((executor["resources"] as? [String: Any])?["mem"] as? Double) == 96)
            #expect((executor["tasks"] as? [Any])?.count == 2)
            let debug = try await RawHTTP.send(port: setup.agent.port, host: setup.agent.hostname, "GET", "/files/debug").json()
            let virtual = "/frameworks/\(setup.frameworkID)/executors/E1/runs/latest"
            #expect((debug[virtual] as? String).map(realPath) == real)
            let read = try await RawHTTP.send(port: setup.agent.port, host: setup.agent.hostname, "GET",
                                              "/files/read?path=\(virtual)/executor-env.txt&offset=0").json()
            #expect((read["data"] as? String)?.contains("MESOS_EXECUTOR_ID=E1") == true)

            // Offers: the agent's 4096 MB less the executor (32) and two tasks (32 each).
            let offer = try await nextOffer(setup)
            let mem = (offer["resources"] as? [[String: Any]])?.first { $0["name"] as? String == "mem" }
            #expect(((mem?["scalar"] as? [String: Any])?["value"] as? Double) == Double(4096 - 96))
            stream.close()
        }
    }

    @Test func killAndMessagesGoThroughTheExecutor() async throws {
        try await withExecutorCluster { setup in
            try await launch(setup, [executorTask("t1", agent: setup.agentObject, executorID: "E1", command: sleeper,
                                                  extra: ["kill_policy": ["grace_period": ["nanoseconds": 4_000_000_000]]])])
            let stream = try await setup.stream("E1")
            try await stream.waitFor("LAUNCH")
            let (_, _) = try await stream.update("t1", "TASK_RUNNING")
            _ = try await setup.scheduler.update("t1", ["TASK_RUNNING"])

            // KILL with its own policy: it overrides the task's; the agent kills nothing itself.
            try await setup.scheduler.call("KILL", ["task_id": ["value": "t1"], "agent_id": setup.agentObject,
                                                    "kill_policy": ["grace_period": ["nanoseconds": 2_000_000_000]]])
            let kill = try await stream.waitFor("KILL")
            let payload = try #require(kill["kill"] as? [String: Any])
            #expect((payload["task_id"] as? [String: Any])?["value"] as? String == "t1")
            #expect(((payload["kill_policy"] as? [String: Any])?["grace_period"] as? [String: Any])?["nanoseconds"] as? Int == 2_000_000_000)
            // Without one, the task's policy travels with the KILL.
            try await setup.scheduler.call("KILL", ["task_id": ["value": "t1"], "agent_id": setup.agentObject])
            let second = try await stream.waitFor("KILL", skipping: 1)
            #expect((((second["kill"] as? [String: Any])?["kill_policy"] as? [String: Any])?["grace_period"] as? [String: Any])?["nanoseconds"] as? Int == 4_000_000_000)
            try await Task.sleep(for: .milliseconds(300))
            #expect(setup.scheduler.updates("t1").map { $0["state"] as? String } == ["TASK_RUNNING"])
            let (killed, _) = try await stream.update("t1", "TASK_KILLED", message: "killed: SIGTERM")
            #expect(killed.status == 202)
            let status = try await setup.scheduler.update("t1", ["TASK_KILLED"])
            #expect(status["source"] as? String == "SOURCE_EXECUTOR")

            // MESSAGE both ways.
            let message = try await stream.call("MESSAGE", ["data": Data("executor->framework hello".utf8).base64EncodedString()])
            #expect(message.status == 202)
            let event = try await setup.scheduler.waitFor { $0["type"] as? String == "MESSAGE" }
            let body = try #require(event["message"] as? [String: Any])
            #expect((body["executor_id"] as? [String: Any])?["value"] as? String == "E1")
            #expect((body["agent_id"] as? [String: Any])?["value"] as? String == setup.agent.id.value)
            #expect(body["data"] as? String == Data("executor->framework hello".utf8).base64EncodedString())
            let sent = try await setup.scheduler.call("MESSAGE", ["agent_id": setup.agentObject, "executor_id": ["value": "E1"],
                                                                  "data": Data("framework->executor hello".utf8).base64EncodedString()])
            #expect(sent.status == 202)
            let received = try await stream.waitFor("MESSAGE")
            #expect((received["message"] as? [String: Any])?["data"] as? String == Data("framework->executor hello".utf8).base64EncodedString())
            // To an executor that does not exist: 202, dropped.
            let dropped = try await setup.scheduler.call("MESSAGE", ["agent_id": setup.agentObject, "executor_id": ["value": "nope"], "data": "aGk="])
            #expect(dropped.status == 202)
            stream.close()
        }
    }

    @Test func shutdownWaitsTheGracePeriodThenSIGKILLs() async throws {
        try await withExecutorCluster { setup in
            // The executor traps SIGTERM and writes a marker: it must never get one.
            let command = "trap 'echo TERM > got-term' TERM; while true; do sleep 0.1; done"
            try await launch(setup, [executorTask("t1", agent: setup.agentObject, executorID: "E1", command: command,
                                                  executor: ["shutdown_grace_period": ["nanoseconds": 1_000_000_000]])])
            let stream = try await setup.stream("E1")
            try await stream.waitFor("LAUNCH")
            _ = try await stream.update("t1", "TASK_RUNNING")
            _ = try await setup.scheduler.update("t1", ["TASK_RUNNING"])
            let started = Date()
            let response = try await setup.scheduler.call("SHUTDOWN", ["executor_id": ["value": "E1"], "agent_id": setup.agentObject])
            #expect(response.status == 202)
            let shutdown = try await stream.waitFor("SHUTDOWN")
            #expect(shutdown.count == 1)
            let failure = try await setup.scheduler.waitFor { $0["type"] as? String == "FAILURE" }
            #expect(Date().timeIntervalSince(started) >= 0.9)
            let payload = try #require(failure["failure"] as? [String: Any])
            #expect(payload["status"] as? Int == 9)
            #expect((payload["executor_id"] as? [String: Any])?["value"] as? String == "E1")
            let status = try await setup.scheduler.update("t1", ["TASK_FAILED"])
            #expect(status["message"] as? String == "Executor terminated")
            #expect(status["reason"] as? String == "REASON_EXECUTOR_TERMINATED")
            #expect(status["source"] as? String == "SOURCE_AGENT")
            #expect((status["executor_id"] as? [String: Any])?["value"] as? String == "E1")
            #expect(!FileManager.default.fileExists(atPath: setup.sandbox("E1") + "/got-term"))
            #expect(await stream.waitForClose())
        }
    }

    @Test func executorExitIsAFailureWithTheWaitStatus() async throws {
        try await withExecutorCluster { setup in
            try await launch(setup, [executorTask("t1", agent: setup.agentObject, executorID: "E1", command: "sleep 0.5; exit 3")])
            let failure = try await setup.scheduler.waitFor { $0["type"] as? String == "FAILURE" }
            #expect((failure["failure"] as? [String: Any])?["status"] as? Int == 768)
            let status = try await setup.scheduler.update("t1", ["TASK_FAILED"])
            #expect(status["message"] as? String == "Executor terminated")
            #expect(status["reason"] as? String == "REASON_EXECUTOR_TERMINATED")
            #expect(status["source"] as? String == "SOURCE_AGENT")
            // Its resources are free again: no executor left in /state.
            let state = try await RawHTTP.send(port: setup.agent.port, host: setup.agent.hostname, "GET", "/state").json()
            let executors = (((state["frameworks"] as? [[String: Any]])?.first)?["executors"] as? [[String: Any]]) ?? []
            #expect(executors.allSatisfy { $0["id"] as? String != "E1" })
        }
    }

    @Test func anExecutorThatNeverSubscribesIsKilled() async throws {
        try await withExecutorCluster(configure: { $0.executorRegistrationTimeout = 1 }) { setup in
            try await launch(setup, [executorTask("t1", agent: setup.agentObject, executorID: "E1",
                                                  command: "trap 'echo TERM > got-term' TERM; while true; do sleep 0.1; done")])
            let failure = try await setup.scheduler.waitFor { $0["type"] as? String == "FAILURE" }
            #expect((failure["failure"] as? [String: Any])?["status"] as? Int == 9)
            let status = try await setup.scheduler.update("t1", ["TASK_FAILED"])
            #expect(status["message"] as? String == "Executor did not register within 1secs")
            #expect(status["reason"] as? String == "REASON_EXECUTOR_REGISTRATION_TIMEOUT")
            #expect(status["source"] as? String == "SOURCE_AGENT")
            #expect(!FileManager.default.fileExists(atPath: setup.sandbox("E1") + "/got-term"))
        }
    }

    @Test func agentRestartResubscribeKeepsListedTasksAndLosesTheRest() async throws {
        try await withExecutorCluster { setup in
            let t1 = executorTask("t1", agent: setup.agentObject, executorID: "E1", command: sleeper)
            let t2 = executorTask("t2", agent: setup.agentObject, executorID: "E1", command: sleeper)
            try await launch(setup, [t1, t2])
            let stream = try await setup.stream("E1")
            try await stream.waitFor("LAUNCH", skipping: 1)
            // t3 runs and has an update the framework has not acknowledged.
            let (_, uuid) = try await stream.update("t1", "TASK_RUNNING")
            _ = try await setup.scheduler.update("t1", ["TASK_RUNNING"])

            let restart = try await RawHTTP.send(port: setup.cluster.port, "POST", "/admin/agents/\(setup.agent.id.value)/restart-process")
            #expect(restart.status == 200)
            #expect(await stream.waitForClose())
            let during = try await setup.call("E1", "SUBSCRIBE", [:])
            #expect(during.status == 503)

            // After the downtime the executor comes back listing t2 (no update sent yet) and t1's update.
            try await Task.sleep(for: .milliseconds(1200))
            let update: [String: Any] = ["status": ["task_id": ["value": "t1"], "state": "TASK_RUNNING", "source": "SOURCE_EXECUTOR", "uuid": uuid]]
            let again = try await setup.stream("E1", subscribe: ["unacknowledged_tasks": [t2], "unacknowledged_updates": [update]])
            try await again.waitFor("SUBSCRIBED")
            try await Task.sleep(for: .milliseconds(300))
            #expect(again.types == ["SUBSCRIBED"])
            let resent = try await setup.scheduler.waitFor(skipping: 1) { event in
                ((event["update"] as? [String: Any])?["status"] as? [String: Any])?["uuid"] as? String == uuid
            }
            #expect(resent["type"] as? String == "UPDATE")
            #expect(setup.scheduler.updates("t2").isEmpty)

            // Without listing t2 this time: t2 (still STAGING) is lost.
            let third = try await setup.stream("E1", subscribe: [:])
            try await third.waitFor("SUBSCRIBED")
            let lost = try await setup.scheduler.update("t2", ["TASK_LOST"])
            #expect(lost["message"] as? String == "Task launched during agent restart")
            #expect(lost["reason"] as? String == "REASON_AGENT_RESTARTED")
            #expect(lost["source"] as? String == "SOURCE_AGENT")
            #expect((lost["executor_id"] as? [String: Any])?["value"] as? String == "E1")
            #expect(setup.scheduler.updates("t1").allSatisfy { $0["state"] as? String == "TASK_RUNNING" })
            third.close()
        }
    }

    @Test func anExecutorNeverSentATaskIsShutDownWhenItResubscribes() async throws {
        try await withExecutorCluster { setup in
            try await launch(setup, [executorTask("t1", agent: setup.agentObject, executorID: "E1", command: sleeper)])
            // Killed before the executor subscribed: the agent answers for it, the executor never sees a LAUNCH.
            try await setup.scheduler.call("KILL", ["task_id": ["value": "t1"], "agent_id": setup.agentObject])
            let killed = try await setup.scheduler.update("t1", ["TASK_KILLED"])
            #expect(killed["reason"] as? String == "REASON_TASK_KILLED_DURING_LAUNCH")
            let first = try await setup.stream("E1")
            try await first.waitFor("SUBSCRIBED")
            let second = try await setup.stream("E1")
            try await second.waitFor("SHUTDOWN")
            #expect(second.types.first == "SHUTDOWN")
            #expect(await first.waitForClose())
        }
    }

    @Test func executorURIsAreFetchedOnceThroughTheAgentCache() async throws {
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("exec-src-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: source) }
        let script = source.appendingPathComponent("my-executor.sh")
        try "#!/bin/sh\necho fetched > fetched-ran\nexec sleep 300\n".write(to: script, atomically: true, encoding: .utf8)
        try await withExecutorCluster { setup in
            let uri: [String: Any] = ["value": "file://\(script.path)", "executable": true, "cache": true, "output_file": "run-me"]
            func task(_ id: String, _ executorID: String) -> [String: Any] {
                executorTask(id, agent: setup.agentObject, executorID: executorID, command: "./run-me", shell: false,
                             executor: ["command": ["value": "./run-me", "shell": false, "uris": [uri]]])
            }
            try await launch(setup, [task("t1", "E1")])
            #expect(try await eventually { FileManager.default.fileExists(atPath: setup.sandbox("E1") + "/fetched-ran") })
            // The source is gone: the second executor can only get it from the cache.
            try FileManager.default.removeItem(at: script)
            try await launch(setup, [task("t2", "E2")])
            #expect(try await eventually { FileManager.default.fileExists(atPath: setup.sandbox("E2") + "/fetched-ran") })
            #expect(FileManager.default.isExecutableFile(atPath: setup.sandbox("E2") + "/run-me"))
            #expect(await setup.cluster.master.fetcherDownloads() == ["file://\(script.path)": 1])
        }
    }

    @Test func theContainerMemoryLimitCoversEveryDescendantOfTheExecutor() async throws {
        try await withExecutorCluster { setup in
            // A child in its own session (as the Converge executor starts tasks) grows past executor + task mem (64 MB).
            let command = "setsid python3 -c 'import time; x = bytearray(160 * 1024 * 1024); time.sleep(60)' & exec sleep 300"
            try await launch(setup, [executorTask("t1", agent: setup.agentObject, executorID: "E1", command: command)])
            let failure = try await setup.scheduler.waitFor(timeout: 30) { $0["type"] as? String == "FAILURE" }
            #expect((failure["failure"] as? [String: Any])?["status"] as? Int == 9)
            let status = try await setup.scheduler.update("t1", ["TASK_FAILED"])
            #expect(status["reason"] as? String == "REASON_CONTAINER_LIMITATION_MEMORY")
            #expect((status["message"] as? String)?.hasPrefix("Memory limit exceeded: Requested: 64MB Maximum Used: ") == true)
        }
    }

    @Test func taskWithBothCommandAndExecutorIsAnError() async throws {
        try await withExecutorCluster { setup in
            var task = executorTask("t1", agent: setup.agentObject, executorID: "E1", command: sleeper)
            task["command"] = ["value": "true"]
            try await launch(setup, [task])
            let status = try await setup.scheduler.update("t1", ["TASK_ERROR"])
            #expect(status["message"] as? String == "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present")
            #expect(status["source"] as? String == "SOURCE_MASTER")
            #expect(status["reason"] as? String == "REASON_TASK_INVALID")
        }
    }
}

/// Offer ids a test has used (accepted or declined).
final class OfferLedger: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var ids: Set<String> = []

    private static func id(_ offer: [String: Any]) -> String { (offer["id"] as? [String: Any])?["value"] as? String ?? "" }
    func use(_ offer: [String: Any]) { lock.lock(); ids.insert(Self.id(offer)); lock.unlock() }
    func used(_ offer: [String: Any]) -> Bool { lock.lock(); defer { lock.unlock() }; return ids.contains(Self.id(offer)) }
}
