import Foundation
import Mesos
import Testing
@testable import Executor

@Suite struct DecisionTests {
    @Test func taskDataRoundTripsWithSnakeCaseKeysAndDefaults() throws {
        let json = #"{"command":{"value":"./web","environment":{"variables":[{"name":"PORT0","value":"31000"}]}},"artifacts":[{"uri":"https://h/web.tgz","sha256":"AB"}],"memory_mb":128}"#
        let data = try ExecutorTaskData(taskData: Bytes(Data(json.utf8)))
        #expect(data.command.value == "./web")
        #expect(data.command.shell)
        #expect(data.artifacts == [.init(uri: "https://h/web.tgz", sha256: "AB", extract: true, executable: false, cache: true)])
        #expect(data.logs == .init(maxSizeMB: 10, keep: 5, compress: true))
        #expect(data.memoryMB == 128 && data.memorySoftLimit == 0.9 && data.killGraceSeconds == nil)
        let again = try ExecutorTaskData(taskData: try data.taskData())
        #expect(again == data)
        let text = String(decoding: try data.taskData().data, as: UTF8.self)
        #expect(text.contains("\"memory_soft_limit\":0.9") && text.contains("\"max_size_mb\":10"))
    }

    @Test func badTaskDataNamesTheField() {
        #expect { try ExecutorTaskData(taskData: Bytes(Data(#"{"artifacts":[]}"#.utf8))) } throws: {
            "\($0)" == "TaskInfo.data: missing field 'command'"
        }
        #expect { try ExecutorTaskData(taskData: Bytes(Data(#"{"command":{"value":"x"},"logs":{"keep":"many"}}"#.utf8))) } throws: {
            "\($0)".hasPrefix("TaskInfo.data.logs.keep:")
        }
    }

    @Test func environmentFromTheAgent() throws {
        let env = try ExecutorEnvironment([
            "MESOS_AGENT_ENDPOINT": "127.0.0.1:5251", "MESOS_FRAMEWORK_ID": "FW", "MESOS_EXECUTOR_ID": "E",
            "MESOS_SLAVE_ID": "AG", "MESOS_DIRECTORY": "/var/mesos/slaves/AG/frameworks/FW/executors/E/runs/C1",
            "MESOS_CHECKPOINT": "1", "MESOS_RECOVERY_TIMEOUT": "15mins", "MESOS_SUBSCRIPTION_BACKOFF_MAX": "2secs",
            "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD": "3secs",
        ])
        #expect(env.checkpoint && env.recoveryTimeout == .seconds(900) && env.subscriptionBackoffMax == .seconds(2))
        #expect(env.shutdownGracePeriod == .seconds(3))
        #expect(env.artifactCache == "/var/mesos/converge-artifact-cache")
        #expect(env.artifactCacheMaxBytes == 2048 << 20)
        #expect(throws: ExecutorEnvironment.Invalid.self) { try ExecutorEnvironment(["MESOS_AGENT_ENDPOINT": "x"]) }
        #expect { try ExecutorEnvironment(["MESOS_AGENT_ENDPOINT": "a:1", "MESOS_FRAMEWORK_ID": "F", "MESOS_EXECUTOR_ID": "E",
                                            "MESOS_DIRECTORY": "/s", "MESOS_RECOVERY_TIMEOUT": "soon"]) } throws: {
            "\($0)".contains("MESOS_RECOVERY_TIMEOUT='soon'")
        }
        #expect(MesosDuration.parse("100ms") == .milliseconds(100))
        #expect(MesosDuration.parse("1.5hrs") == .seconds(5400))
    }

    @Test func ledgerKeepsWhatIsUnacknowledged() {
        var ledger = UpdateLedger()
        let task = TaskInfo(name: "t", taskID: "t", agentID: "AG")
        ledger.launched(task)
        let running = TaskStatus(taskID: "t", state: .running, source: .executor, uuid: Bytes(Data(repeating: 1, count: 16)))
        let finished = TaskStatus(taskID: "t", state: .finished, source: .executor, uuid: Bytes(Data(repeating: 2, count: 16)))
        ledger.sent(running)
        ledger.sent(finished)
        var call = ledger.subscribeCall(frameworkID: "FW", executorID: "E")
        #expect(call.subscribe?.unacknowledgedTasks == [task])
        #expect(call.subscribe?.unacknowledgedUpdates.map(\.status) == [running, finished])
        #expect(ledger.awaitsTerminalAcknowledgement("t"))
        #expect(ledger.acknowledged(taskID: "t", uuid: running.uuid!) == running)
        #expect(ledger.acknowledged(taskID: "t", uuid: running.uuid!) == nil)
        call = ledger.subscribeCall(frameworkID: "FW", executorID: "E")
        #expect(call.subscribe?.unacknowledgedTasks == [])
        #expect(call.subscribe?.unacknowledgedUpdates.map(\.status) == [finished])
        ledger.acknowledged(taskID: "t", uuid: finished.uuid!)
        #expect(ledger.isEmpty)
    }

    @Test func healthFollowsTheCommandExecutor() {
        var tracker = HealthTracker(HealthCheck(type: .http, consecutiveFailures: 2, gracePeriodSeconds: 10))
        #expect(tracker.record(passed: false, secondsSinceStart: 1) == .unchanged)  // in grace
        #expect(tracker.record(passed: true, secondsSinceStart: 2) == .changed(healthy: true))
        #expect(tracker.record(passed: true, secondsSinceStart: 3) == .unchanged)
        #expect(tracker.record(passed: false, secondsSinceStart: 4) == .changed(healthy: false))  // grace ends at first success
        #expect(tracker.record(passed: true, secondsSinceStart: 5) == .changed(healthy: true))
        #expect(tracker.record(passed: false, secondsSinceStart: 6) == .changed(healthy: false))
        #expect(tracker.record(passed: false, secondsSinceStart: 7) == .kill)
        var never = HealthTracker(HealthCheck(type: .tcp, consecutiveFailures: 1, gracePeriodSeconds: 0))
        #expect(never.record(passed: false, secondsSinceStart: 0.5) == .kill)
    }

    @Test func terminalStatesAndMessages() {
        let finished = TerminalStatus(exit: .exited(0), kill: nil, healthy: nil)
        #expect(finished.state == .finished && finished.message == "Command exited with status 0" && finished.reason == nil)
        let failed = TerminalStatus(exit: .exited(3), kill: nil, healthy: true)
        #expect(failed.state == .failed && failed.message == "Command exited with status 3" && failed.healthy == true)
        #expect(TerminalStatus(exit: .signaled(SIGSEGV), kill: nil, healthy: nil).message == "Command terminated with signal SIGSEGV")
        let killed = TerminalStatus(exit: .signaled(SIGTERM),
                                    kill: KillOutcome(cause: .requested, escalated: false, graceSeconds: 30, secondsToExit: 1.23),
                                    healthy: nil)
        #expect(killed.state == .killed && killed.message == "killed: SIGTERM, exited after 1.2 s" && killed.reason == nil)
        let escalated = TerminalStatus(exit: .signaled(SIGKILL),
                                       kill: KillOutcome(cause: .requested, escalated: true, graceSeconds: 30, secondsToExit: 30),
                                       healthy: nil)
        #expect(escalated.message == "killed: SIGKILL after 30 s grace")
        let health = TerminalStatus(exit: .signaled(SIGTERM),
                                    kill: KillOutcome(cause: .healthCheck, escalated: false, graceSeconds: 3, secondsToExit: 0.1),
                                    healthy: true)
        #expect(health.state == .killed && health.reason == .taskHealthCheckStatusUpdated && health.healthy == false)
        let limit = MemoryLimit(memoryMB: 128, softLimit: 0.9)!
        let oom = TerminalStatus(exit: .exited(0),
                                 kill: KillOutcome(cause: .memory(limit, peakBytes: 130 << 20), escalated: false,
                                                   graceSeconds: 3, secondsToExit: 0.5),
                                 healthy: nil, droppedBytes: 10)
        #expect(oom.state == .failed && oom.reason == .containerLimitationMemory)
        #expect(oom.message.hasPrefix("Memory soft limit exceeded: limit 115.2 MB (90% of 128 MB), peak 130 MB; killed: SIGTERM"))
        #expect(oom.message.hasSuffix("(10 bytes of output dropped: the disk was too slow)"))
    }

    @Test func commandLinesAsTheCommandExecutorBuildsThem() throws {
        let shell = try TaskCommand(CommandInfo(value: "echo $PORT0", environment: Environment(["PORT0": "31000"])),
                                    base: ["PATH": "/bin"])
        #expect(shell.executable == "/bin/sh" && shell.arguments == ["sh", "-c", "echo $PORT0"])
        #expect(shell.environment == ["PATH": "/bin", "PORT0": "31000"])
        let plain = try TaskCommand(CommandInfo(value: "/bin/echo", shell: false, arguments: ["echo", "hi"]), base: [:])
        #expect(plain.executable == "/bin/echo" && plain.arguments == ["echo", "hi"])
        #expect(throws: TaskCommand.Invalid.self) { try TaskCommand(CommandInfo(value: nil), base: [:]) }
        let base = TaskCommand.baseEnvironment(executor: ["MESOS_DIRECTORY": "/s", "CONVERGE_ARTIFACT_CACHE": "/c"],
                                               taskID: "t1", host: "h")
        #expect(base == ["MESOS_DIRECTORY": "/s", "MESOS_SANDBOX": "/s", "MESOS_TASK_ID": "t1", "HOST": "h"])
    }

    @Test func groupMemoryCountsEveryProcessOfTheGroup() throws {
        let folder = TempFolder("mem")
        defer { folder.cleanup() }
        let null = open("/dev/null", O_WRONLY)
        defer { close(null) }
        let script = "python3 -c 'import time; b = bytearray(40 << 20); time.sleep(30)' & python3 -c 'import time; b = bytearray(40 << 20); time.sleep(30)' & wait"
        let pid = try ProcessSpawn.spawn(executable: "/bin/sh", arguments: ["sh", "-c", script],
                                         environment: ["PATH": "/usr/bin:/bin"], workingDirectory: folder.path,
                                         stdout: null, stderr: null)
        defer {
            kill(-pid, SIGKILL)
            _ = ProcessWait.wait(pid)
        }
        var bytes: UInt64 = 0
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            bytes = GroupMemory.residentBytes(group: pid)
            if bytes > 80 << 20 { break }
            usleep(100_000)
        }
        #expect(bytes > 80 << 20, "group RSS \(bytes)")
        #expect(GroupMemory.selfResidentBytes() > 0)
    }
}
