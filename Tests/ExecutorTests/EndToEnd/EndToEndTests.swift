import Foundation
import Mesos
import Testing
@testable import DevCluster
@testable import Executor

/// The real executor binary under the dev cluster's agent, end to end.
@Suite(.serialized) struct ExecutorEndToEndTests {
    func data(_ command: String, _ configure: (inout ExecutorTaskData) -> Void = { _ in }) -> ExecutorTaskData {
        var data = ExecutorTaskData(command: CommandInfo(value: command))
        configure(&data)
        return data
    }

    @Test func reportsLikeTheCommandExecutorAndExits() async throws {
        try await ExecutorCluster.with(portBase: 46000) { setup in
            try await setup.launch([
                try setup.task("ok", data: data("echo hello; echo oops >&2")),
                try setup.task("three", data: data("exit 3")),
                try setup.task("bad", data: data("x")).withData(Bytes(Data("{\"nope\":1}".utf8))),
            ])
            let ok = try await setup.waitFor("ok", [.finished, .failed])
            #expect(ok.state == .finished && ok.message == "Command exited with status 0" && ok.source == .executor)
            let states = setup.updates("ok").map(\.state)
            #expect(states == [.starting, .running, .finished])
            #expect(setup.updates("ok")[1].message?.hasPrefix("started pid ") == true)
            let three = try await setup.waitFor("three", [.finished, .failed])
            #expect(three.state == .failed && three.message == "Command exited with status 3")
            let bad = try await setup.waitFor("bad", [.failed])
            #expect(bad.reason == .taskInvalid && bad.message?.contains("missing field 'command'") == true)
            let sandbox = setup.sandbox("ok")
            #expect(try String(contentsOfFile: sandbox + "/stdout", encoding: .utf8) == "hello\n")
            #expect(try String(contentsOfFile: sandbox + "/stderr", encoding: .utf8) == "oops\n")
            let executorLog = try String(contentsOfFile: sandbox + "/converge-executor.log", encoding: .utf8)
            #expect(executorLog.contains("Subscribed") && executorLog.contains("TASK_FINISHED"))
            // The executor exits once its terminal update is acknowledged.
            #expect(try await poll(timeout: 30) { log(of: sandbox).contains("converge-executor exiting: every task is terminal") })
        }
    }

    @Test func killHonoursTheGracePeriodAndTheKillPolicyOverride() async throws {
        try await ExecutorCluster.with(portBase: 46100) { setup in
            let trapping = "trap 'echo term > term-marker; sleep 1; exit 0' TERM; while true; do sleep 0.1; done"
            let stubborn = "trap '' TERM; while true; do sleep 0.1; done"
            try await setup.launch([
                try setup.task("polite", data: data(trapping), killGrace: 20),
                try setup.task("stubborn", data: data(stubborn), killGrace: 60),
            ])
            try await setup.waitFor("polite", [.running])
            try await setup.waitFor("stubborn", [.running])
            try await Task.sleep(for: .milliseconds(300))
            try await setup.kill("polite")
            try await setup.kill("stubborn", grace: 1)  // The KILL's policy overrides the TaskInfo's 60 s.
            let polite = try await setup.waitFor("polite", [.killed, .failed, .finished])
            #expect(polite.state == .killed, "\(setup.updates("polite").map { "\($0.state) \($0.source?.rawValue ?? "") \($0.message ?? "")" })")
            #expect(polite.message?.hasPrefix("killed: SIGTERM, exited after 1") == true, "\(polite.message ?? "")")
            #expect(FileManager.default.fileExists(atPath: setup.sandbox("polite") + "/term-marker"))
            let stubbornEnd = try await setup.waitFor("stubborn", [.killed, .failed, .finished])
            #expect(stubbornEnd.state == .killed && stubbornEnd.message == "killed: SIGKILL after 1 s grace")
        }
    }

    @Test func healthChecksReportHealthyAndKillAfterConsecutiveFailures() async throws {
        try await ExecutorCluster.with(portBase: 46200) { setup in
            let port = setup.nextPort()
            let serve = data("exec python3 -m http.server $PORT0 --bind 127.0.0.1") {
                $0.command.environment = Environment(["PORT0": String(port)])
            }
            let http = HealthCheck(type: .http, http: .init(port: UInt32(port), path: "/"), delaySeconds: 0,
                                   intervalSeconds: 0.5, timeoutSeconds: 2, consecutiveFailures: 3, gracePeriodSeconds: 20)
            let dead = HealthCheck(type: .tcp, tcp: .init(port: UInt32(setup.nextPort())), delaySeconds: 0,
                                   intervalSeconds: 0.3, timeoutSeconds: 1, consecutiveFailures: 2, gracePeriodSeconds: 0)
            let failing = HealthCheck(type: .command, command: CommandInfo(value: "test -f ready"), delaySeconds: 0,
                                      intervalSeconds: 0.3, timeoutSeconds: 2, consecutiveFailures: 100, gracePeriodSeconds: 0)
            try await setup.launch([
                try setup.task("web", data: serve, ports: [port], healthCheck: http),
                try setup.task("dead", data: data("sleep 300"), healthCheck: dead),
                try setup.task("cmd", data: data("sleep 2; touch ready; sleep 300") { $0.healthCheck = failing }),
            ])
            let healthy = try await setup.waitFor("web", [.running]) { $0.healthy == true }
            #expect(healthy.reason == .taskHealthCheckStatusUpdated)
            let killed = try await setup.waitFor("dead", [.killed, .failed, .finished])
            #expect(killed.state == .killed && killed.reason == .taskHealthCheckStatusUpdated && killed.healthy == false)
            #expect(setup.updates("dead").contains { $0.state == .running && $0.healthy == false })
            // A command check from the task data: unhealthy first, then healthy once the task made it pass.
            try await setup.waitFor("cmd", [.running]) { $0.healthy == false }
            try await setup.waitFor("cmd", [.running]) { $0.healthy == true }
            try await setup.kill("web")
            try await setup.kill("cmd")
            let web = try await setup.waitFor("web", [.killed, .failed, .finished])
            #expect(web.state == .killed && web.healthy == true)
            try await setup.waitFor("cmd", [.killed])
        }
    }

    @Test func softMemoryLimitAsksFirstAndReportsTheOOM() async throws {
        try await ExecutorCluster.with(portBase: 46300) { setup in
            let script = """
            import signal, sys, time
            def term(*_):
                open('term-marker', 'w').write('asked nicely')
                sys.exit(0)
            signal.signal(signal.SIGTERM, term)
            hog = bytearray(100 << 20)
            for i in range(0, len(hog), 4096): hog[i] = 1
            while True: time.sleep(0.1)
            """
            try script.write(toFile: NSTemporaryDirectory() + "converge-hog.py", atomically: true, encoding: .utf8)
            let hog = data("exec python3 \(NSTemporaryDirectory())converge-hog.py") {
                $0.memoryMB = 64
                $0.memorySoftLimit = 0.9
            }
            try await setup.launch([try setup.task("hog", data: hog, killGrace: 10)])
            let end = try await setup.waitFor("hog", [.failed, .killed, .finished], timeout: 90)
            #expect(end.state == .failed && end.reason == .containerLimitationMemory)
            #expect(end.message?.hasPrefix("Memory soft limit exceeded: limit 57.6 MB (90% of 64 MB), peak ") == true,
                    "\(end.message ?? "")")
            #expect(end.message?.contains("killed: SIGTERM, exited after") == true)
            #expect(try String(contentsOfFile: setup.sandbox("hog") + "/term-marker", encoding: .utf8) == "asked nicely")
            #expect(setup.updates("hog").contains { $0.state == .running && $0.message?.contains("over the soft limit") == true })
        }
    }

    @Test func fastNumberedLinesAcrossRotationsAreCountedExactlyOnce() async throws {
        try await ExecutorCluster.with(portBase: 46400) { setup in
            let count = 300_000
            let writer = data("exec python3 -c \"import sys\nw=sys.stdout.write\nfor i in range(\(count)): w('n %d\\\\n' % i)\"") {
                $0.logs = .init(maxSizeMB: 0.2, keep: 1000, compress: true)
            }
            try await setup.launch([try setup.task("lines", data: writer)])
            let end = try await setup.waitFor("lines", [.finished, .failed], timeout: 120)
            #expect(end.state == .finished, "\(end.message ?? "")")
            let sandbox = setup.sandbox("lines")
            // Compression of the last rotated file may still run while the executor exits.
            #expect(try await poll(timeout: 30) { log(of: sandbox).contains("converge-executor exited") })
            let (lines, files) = try rotatedLines(sandbox, "stdout")
            #expect(files.count > 5, "\(files.keys.sorted())")
            #expect(lines.count == count)
            #expect(lines == (0..<count).map { Substring("n \($0)") })
        }
    }

    @Test func artifactsFetchedOnceForFiveTasksAndAWrongSha256Refused() async throws {
        let web = TempFolder("web")
        defer { web.cleanup() }
        let payload = Data((0..<2_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try payload.write(to: URL(fileURLWithPath: web.path + "/tool.bin"))
        try payload.write(to: URL(fileURLWithPath: web.path + "/other.bin"))
        let digest = String(try run("/usr/bin/sha256sum", [web.path + "/tool.bin"]).1.prefix(64))
        let server = try CountingHTTPServer(root: web.path)
        defer { server.stop() }
        try await ExecutorCluster.with(portBase: 46500) { setup in
            let artifact = ExecutorTaskData.Artifact(uri: "http://127.0.0.1:\(server.port)/tool.bin", sha256: digest,
                                                     executable: true)
            let tasks = try (1...5).map { index in
                try setup.task("fetch\(index)", data: data("test -x tool.bin && sha256sum tool.bin") { $0.artifacts = [artifact] })
            }
            var wrong = artifact
            wrong.uri = "http://127.0.0.1:\(server.port)/other.bin"
            wrong.sha256 = String(repeating: "a", count: 64)
            try await setup.launch(tasks + [try setup.task("wrong", data: data("touch started") { $0.artifacts = [wrong] })])
            for index in 1...5 {
                let end = try await setup.waitFor("fetch\(index)", [.finished, .failed])
                #expect(end.state == .finished, "\(end.message ?? "")")
                #expect(setup.updates("fetch\(index)").contains { $0.message?.hasPrefix("fetching artifact 1/1 (1.9 MB)") == true })
                #expect(try String(contentsOfFile: setup.sandbox("fetch\(index)") + "/stdout", encoding: .utf8).hasPrefix(digest))
            }
            #expect(server.requests("/tool.bin") == 1)
            let refused = try await setup.waitFor("wrong", [.failed, .finished])
            #expect(refused.state == .failed && refused.reason == .containerLaunchFailed)
            #expect(refused.message?.contains("sha256 mismatch") == true)
            #expect(!setup.updates("wrong").contains { $0.state == .running })
            #expect(!FileManager.default.fileExists(atPath: setup.sandbox("wrong") + "/started"))
        }
    }

    @Test func anAgentRestartLosesNoTaskAndNoUpdate() async throws {
        try await ExecutorCluster.with(portBase: 46600, configure: { $0.agentRestartDowntime = 3 }) { setup in
            try await setup.launch([
                try setup.task("long", data: data("sleep 300")),
                try setup.task("short", data: data("sleep 2")),
            ])
            try await setup.waitFor("long", [.running])
            try await setup.waitFor("short", [.running])
            #expect(await setup.cluster.master.restartAgentProcess(setup.cluster.agents[0].id))
            // "short" ends while the agent is away: its update goes out after the executor re-subscribed.
            let short = try await setup.waitFor("short", [.finished, .failed, .lost, .killed], timeout: 60)
            #expect(short.state == .finished, "\(setup.updates("short").map { "\($0.state) \($0.source?.rawValue ?? "") \($0.message ?? "")" })")
            #expect(try await poll(timeout: 30) { log(of: setup.sandbox("long")).components(separatedBy: "Subscribed").count >= 3 })
            try await setup.kill("long", grace: 1)
            let long = try await setup.waitFor("long", [.killed, .failed, .lost, .finished])
            #expect(long.state == .killed)
            for id in ["long", "short"] {
                #expect(!setup.updates(id).contains { $0.state == .lost || $0.state == .failed }, "\(id): \(setup.updates(id))")
            }
        }
    }
}

extension TaskInfo {
    func withData(_ bytes: Bytes) -> TaskInfo {
        var copy = self
        copy.data = bytes
        return copy
    }
}

func log(of sandbox: String) -> String {
    (try? String(contentsOfFile: sandbox + "/converge-executor.log", encoding: .utf8)) ?? ""
}

func poll(timeout: Double, _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return false
}
