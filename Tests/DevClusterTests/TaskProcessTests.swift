import Foundation
import Testing
@testable import DevCluster

/// Tasks as real processes: sandbox, environment, fetcher, exit codes, kill, health, memory watch.
@Suite struct TaskProcessTests {
    @Test func commandTaskRunsInItsSandboxWithEnvironmentAndFetchedFiles() async throws {
        let fixtures = FileManager.default.temporaryDirectory.appendingPathComponent("dc-fetch-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: fixtures + "/bundle", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: fixtures) }
        try "from-archive\n".write(toFile: fixtures + "/bundle/data.txt", atomically: true, encoding: .utf8)
        try "#!/bin/sh\necho script-ran\n".write(toFile: fixtures + "/run.sh", atomically: true, encoding: .utf8)
        let tar = try await offload { () -> Int32 in
            let pid = try ProcessSpawner.spawn(SpawnRequest(executable: "/bin/sh", arguments: ["sh", "-c",
                "tar -czf bundle.tar.gz bundle && mkdir zipped && echo from-zip > zipped/z.txt && python3 -m zipfile -c zipped.zip zipped"],
                                                            environment: ProcessInfo.processInfo.environment, workingDirectory: fixtures,
                                                            stdoutPath: "/dev/null", stderrPath: "/dev/null"))
            while true { if let exit = ProcessControl.reap(pid) { return exit == .exited(0) ? 0 : 1 }; usleep(10_000) }
        }
        #expect(tar == 0)

        try await withCluster(agents: 1, portBase: 42000) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offer = try await scheduler.firstOffer()
            let ports: [String: Any] = ["name": "ports", "type": "RANGES", "ranges": ["range": [["begin": 42003, "end": 42004]]]]
            let command: [String: Any] = [
                "value": "echo \"id=$MESOS_TASK_ID host=$HOST port=$PORT port0=$PORT0 port1=$PORT1 custom=$CUSTOM\"; test \"$MESOS_SANDBOX\" = \"$(pwd)\" && echo in-sandbox; ./run.sh; cat bundle/data.txt; cat zipped/z.txt; echo oops >&2",
                "uris": [["value": "file://" + fixtures + "/bundle.tar.gz"], ["value": fixtures + "/run.sh", "executable": true],
                         ["value": fixtures + "/zipped.zip", "extract": true]],
                "environment": ["variables": [["name": "CUSTOM", "value": "yes"]]],
            ]
            try await scheduler.launch(offer: offer, tasks: [commandTask("env-task", agent: offer["agent_id"]!, command: "", resources: [ports])
                .merging(["command": command]) { $1 }])
            let starting = try await scheduler.update("env-task", ["TASK_STARTING"])
            #expect(starting["source"] as? String == "SOURCE_EXECUTOR")
            let finished = try await scheduler.update("env-task", ["TASK_FINISHED", "TASK_FAILED"])
            #expect(finished["state"] as? String == "TASK_FINISHED", "\(finished)")
            #expect(scheduler.updates("env-task").map { $0["state"] as? String } == ["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"])
            for status in scheduler.updates("env-task") { try await scheduler.acknowledge(status) }

            // Read the sandbox through the agent's own /files/read on its loopback address.
            let agent = try #require(cluster.agents.first)
            let agentState = try await RawHTTP.send(port: agent.port, host: agent.hostname, "GET", "/state").json()
            let executors = ((agentState["frameworks"] as? [[String: Any]])?.first?["executors"] as? [[String: Any]]) ?? []
            let directory = try #require(executors.first?["directory"] as? String)
            let read = try await RawHTTP.send(port: agent.port, host: agent.hostname, "GET", "/files/read?path=\(directory)/stdout&offset=0").json()
            let stdout = try #require(read["data"] as? String)
            #expect(stdout.contains("id=env-task host=127.0.0.2 port=42003 port0=42003 port1=42004 custom=yes"))
            #expect(stdout.contains("in-sandbox"))
            #expect(stdout.contains("script-ran"))
            #expect(stdout.contains("from-archive"))
            #expect(stdout.contains("from-zip"))
            let size = try await RawHTTP.send(port: agent.port, host: agent.hostname, "GET", "/files/read?path=\(directory)/stderr&offset=-1").json()
            #expect(size["offset"] as? Int == 5)
            #expect(try await RawHTTP.send(port: agent.port, host: agent.hostname, "GET", "/files/read?path=/etc/passwd").status == 404)
        }
    }

    @Test func httpURIsAreDownloadedWithLibcurlAndAdminKillFailsTheTask() async throws {
        try await withCluster(agents: 1, portBase: 42500) { cluster in
            // The agent's own /files/download serves a fixture from another task's sandbox over HTTP (as on
            // Mesos, only attached sandboxes are served).
            let agent = try #require(cluster.agents.first)
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let first = try await scheduler.firstOffer()
            try await scheduler.launch(offer: first, tasks: [commandTask("origin", agent: first["agent_id"]!,
                command: "printf '#!/bin/sh\\necho downloaded-over-http\\n' > fixture.sh.tmp && mv fixture.sh.tmp fixture.sh; exec sleep 300")])
            let fixture = cluster.workDirectory + "/slaves/\(agent.id.value)/frameworks/\(scheduler.frameworkID)/executors/origin/runs/latest/fixture.sh"
            #expect(try await eventually { FileManager.default.fileExists(atPath: fixture) })
            let url = "http://\(agent.hostname):\(agent.port)/files/download?path=/frameworks/\(scheduler.frameworkID)/executors/origin/runs/latest/fixture.sh"
            let offer = try #require(try await scheduler.offers(after: 1).first)
            let command: [String: Any] = ["value": "./fetched.sh; exec sleep 300",
                                          "uris": [["value": url, "output_file": "fetched.sh", "executable": true]]]
            let missing: [String: Any] = ["value": "true", "uris": [["value": url + "-missing", "output_file": "x"]]]
            try await scheduler.launch(offer: offer, tasks: [
                commandTask("http", agent: offer["agent_id"]!, command: "").merging(["command": command]) { $1 },
                commandTask("http-404", agent: offer["agent_id"]!, command: "").merging(["command": missing]) { $1 },
            ])
            _ = try await scheduler.update("http", ["TASK_RUNNING"])
            let failed = try await scheduler.update("http-404", ["TASK_FAILED", "TASK_FINISHED"])
            #expect(failed["state"] as? String == "TASK_FAILED")
            #expect((failed["message"] as? String)?.contains("404") == true)

            let stdout = cluster.workDirectory + "/slaves/\(agent.id.value)/frameworks/\(scheduler.frameworkID)/executors/http/runs/latest/stdout"
            #expect(try await eventually { ((try? String(contentsOfFile: stdout, encoding: .utf8)) ?? "").contains("downloaded-over-http") })
            let kill = try await RawHTTP.send(port: cluster.port, "POST", "/admin/tasks/kill?framework_id=\(scheduler.frameworkID)&task_id=http")
            #expect(kill.status == 200)
            let ended = try await scheduler.update("http", ["TASK_FAILED", "TASK_KILLED", "TASK_FINISHED"])
            #expect(ended["state"] as? String == "TASK_FAILED")
            #expect((ended["message"] as? String)?.contains("signal") == true)
        }
    }

    @Test func argvCommandsExitCodesAndFetchFailures() async throws {
        try await withCluster(agents: 1, portBase: 42100) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offer = try await scheduler.firstOffer()
            let agent = offer["agent_id"]!
            let argv: [String: Any] = ["shell": false, "value": "/bin/sh", "arguments": ["sh", "-c", "exit 3"]]
            let badURI: [String: Any] = ["value": "true", "uris": [["value": "/does/not/exist.tgz"]]]
            try await scheduler.launch(offer: offer, tasks: [
                commandTask("argv", agent: agent, command: "").merging(["command": argv]) { $1 },
                commandTask("no-fetch", agent: agent, command: "").merging(["command": badURI]) { $1 },
            ])
            let failed = try await scheduler.update("argv", ["TASK_FINISHED", "TASK_FAILED"])
            #expect(failed["state"] as? String == "TASK_FAILED")
            #expect(failed["message"] as? String == "Command exited with status 3")
            let fetch = try await scheduler.update("no-fetch", ["TASK_FINISHED", "TASK_FAILED"])
            #expect(fetch["state"] as? String == "TASK_FAILED")
            #expect(fetch["reason"] as? String == "REASON_CONTAINER_LAUNCH_FAILED")
        }
    }

    @Test func killSignalsTheWholeProcessGroupThenSIGKILLs() async throws {
        try await withCluster(agents: 1, portBase: 42200) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework.merging(
                ["capabilities": [["type": "TASK_KILLING_STATE"]]]) { $1 })
            let offer = try await scheduler.firstOffer()
            let agent = offer["agent_id"]!
            try await scheduler.launch(offer: offer, tasks: [
                commandTask("tree", agent: agent, command: "sleep 300 & sleep 301 & wait"),
                commandTask("stubborn", agent: agent, command: "trap '' TERM; sleep 302 & wait; sleep 303"),
            ])
            _ = try await scheduler.update("tree", ["TASK_RUNNING"])
            _ = try await scheduler.update("stubborn", ["TASK_RUNNING"])
            let groups = await cluster.processGroups()
            #expect(groups.count == 2)
            #expect(try await eventually { groups.allSatisfy { ProcessGroupMemory.members(ofGroup: $0).count >= 2 } })

            #expect(try await scheduler.call("KILL", ["task_id": ["value": "tree"]]).status == 202)
            #expect(try await scheduler.call("KILL", ["task_id": ["value": "stubborn"],
                                                      "kill_policy": ["grace_period": ["nanoseconds": 500_000_000]]]).status == 202)
            let killing = try await scheduler.update("stubborn", ["TASK_KILLING"])
            #expect(killing["state"] as? String == "TASK_KILLING")
            let killed = try await scheduler.update("tree", ["TASK_KILLED", "TASK_FAILED", "TASK_FINISHED"])
            #expect(killed["state"] as? String == "TASK_KILLED")
            let stubborn = try await scheduler.update("stubborn", ["TASK_KILLED", "TASK_FAILED", "TASK_FINISHED"], timeout: 15)
            #expect(stubborn["state"] as? String == "TASK_KILLED")
            #expect(try await eventually { groups.allSatisfy { ProcessGroupMemory.members(ofGroup: $0).isEmpty } })

            // Killing an unknown task answers like the master.
            #expect(try await scheduler.call("KILL", ["task_id": ["value": "ghost"]]).status == 202)
            let ghost = try await scheduler.update("ghost", ["TASK_LOST", "TASK_UNKNOWN"])
            #expect(ghost["state"] as? String == "TASK_LOST")
        }
    }

    @Test func memoryWatchEndsATaskOverItsMemory() async throws {
        try await withCluster(agents: 1, portBase: 42300) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offer = try await scheduler.firstOffer()
            let hog = "python3 -c 'import time; x = bytearray(160 * 1024 * 1024); x[::4096] = b\"x\" * len(x[::4096]); time.sleep(60)'"
            try await scheduler.launch(offer: offer, tasks: [commandTask("hog", agent: offer["agent_id"]!, command: hog, mem: 48)])
            let status = try await scheduler.update("hog", ["TASK_FAILED", "TASK_FINISHED", "TASK_KILLED"], timeout: 40)
            #expect(status["state"] as? String == "TASK_FAILED")
            #expect(status["reason"] as? String == "REASON_CONTAINER_LIMITATION_MEMORY")
        }
    }

    @Test func healthChecksAreReportedAndFailingTasksKilled() async throws {
        try await withCluster(agents: 1, portBase: 42400) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offer = try await scheduler.firstOffer()
            let agent = offer["agent_id"]!
            let healthy: [String: Any] = ["type": "COMMAND", "command": ["value": "test -n \"$MESOS_TASK_ID\""],
                                          "delay_seconds": 0, "interval_seconds": 0.2, "timeout_seconds": 5, "grace_period_seconds": 0]
            let failing: [String: Any] = ["type": "TCP", "tcp": ["port": 42499], "delay_seconds": 0, "interval_seconds": 0.2,
                                          "timeout_seconds": 1, "consecutive_failures": 2, "grace_period_seconds": 0]
            let http: [String: Any] = ["type": "HTTP", "http": ["port": 42410, "path": "/"], "delay_seconds": 0,
                                       "interval_seconds": 0.3, "timeout_seconds": 2, "grace_period_seconds": 30]
            let ports: [String: Any] = ["name": "ports", "type": "RANGES", "ranges": ["range": [["begin": 42410, "end": 42410]]]]
            try await scheduler.launch(offer: offer, tasks: [
                commandTask("healthy", agent: agent, command: "sleep 300", extra: ["health_check": healthy]),
                commandTask("unhealthy", agent: agent, command: "sleep 300", extra: ["health_check": failing]),
                commandTask("web", agent: agent, command: "exec python3 -m http.server $PORT0 --bind $HOST", extra: ["health_check": http],
                            resources: [ports]),
            ])
            let good = try await scheduler.waitFor { event in
                guard let status = (event["update"] as? [String: Any])?["status"] as? [String: Any] else { return false }
                return (status["task_id"] as? [String: Any])?["value"] as? String == "healthy" && status["healthy"] as? Bool == true
            }
            #expect(good["type"] as? String == "UPDATE")
            let web = try await scheduler.waitFor(timeout: 30) { event in
                guard let status = (event["update"] as? [String: Any])?["status"] as? [String: Any] else { return false }
                return (status["task_id"] as? [String: Any])?["value"] as? String == "web" && status["healthy"] as? Bool == true
            }
            #expect(web["type"] as? String == "UPDATE")
            let ended = try await scheduler.update("unhealthy", ["TASK_KILLED", "TASK_FAILED"], timeout: 30)
            #expect(ended["state"] as? String == "TASK_KILLED")
            #expect(ended["healthy"] as? Bool == false)
            #expect(scheduler.updates("unhealthy").contains { $0["state"] as? String == "TASK_RUNNING" && $0["healthy"] as? Bool == false })
        }
    }
}
