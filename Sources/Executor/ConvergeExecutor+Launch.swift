#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Mesos

extension ConvergeExecutor {
    /// On `queue`: LAUNCH. Reads the task data, fetches artifacts off the queue, then starts the command.
    func launch(_ task: TaskInfo) {
        guard tasks[task.taskID] == nil else {
            logger.warning("Ignoring a second LAUNCH of \(task.taskID)")
            return
        }
        ledger.launched(task)
        let data: ExecutorTaskData
        do {
            guard let bytes = task.data else { throw ExecutorFailure("TaskInfo.data is missing: the task has no command") }
            data = try ExecutorTaskData(taskData: bytes)
        } catch {
            let run = TaskRun(info: task, data: ExecutorTaskData(command: CommandInfo(value: nil)))
            run.phase = .finished
            tasks[task.taskID] = run
            send(task.taskID, .failed, message: "Invalid task for converge-executor: \(error)", reason: .taskInvalid)
            return
        }
        let run = TaskRun(info: task, data: data)
        tasks[task.taskID] = run
        logger.info("Launching \(task.taskID)\(data.service.map { " (service \($0))" } ?? "")")
        let count = data.artifacts.count
        send(task.taskID, .starting, message: count == 0 ? nil : "fetching \(count) artifact\(count == 1 ? "" : "s")")
        guard count > 0 else {
            start(run)
            return
        }
        let fetcher = ArtifactFetcher(
            cache: ArtifactCache(root: environment.artifactCache, maxBytes: environment.artifactCacheMaxBytes),
            sandbox: environment.directory)
        let artifacts = data.artifacts
        let taskID = task.taskID
        let thread = Thread { [self] in
            let started = ContinuousClock.now
            do {
                let downloads = try fetcher.fetch(artifacts) { index, count, bytes in
                    let size = bytes.map { " (\(Self.megabytes($0)))" } ?? ""
                    self.queue.async {
                        guard self.tasks[taskID]?.killCause == nil else { return }
                        self.send(taskID, .starting, message: "fetching artifact \(index)/\(count)\(size)")
                    }
                }
                logger.info("Fetched \(count) artifacts for \(taskID) (\(downloads) downloaded) in \(ContinuousClock.now - started)")
                queue.async { self.start(run) }
            } catch {
                queue.async {
                    run.phase = .finished
                    self.send(taskID, .failed, message: "Failed to fetch artifacts: \(error)", reason: .containerLaunchFailed)
                }
            }
        }
        thread.name = "fetch"
        thread.start()
    }

    static func megabytes(_ bytes: UInt64) -> String {
        let mb = Double(bytes) / 1_048_576
        return mb >= 10 ? "\(Int(mb.rounded())) MB" : "\((mb * 10).rounded() / 10) MB"
    }

    /// On `queue`: starts the command in its own process group, its output through the log pumps.
    func start(_ run: TaskRun) {
        let taskID = run.taskID
        if run.killCause != nil {
            run.phase = .finished
            send(taskID, .killed, message: "Task killed before it started", reason: .taskKilledDuringLaunch)
            return
        }
        let sandbox = environment.directory
        let base = TaskCommand.baseEnvironment(executor: processEnvironment, taskID: taskID, host: agentHost)
        let command: TaskCommand
        do {
            command = try TaskCommand(run.data.command, base: base)
        } catch {
            run.phase = .finished
            send(taskID, .failed, message: "Invalid command: \(error)", reason: .commandExecutorFailed)
            return
        }
        if let user = run.data.command.user, !user.isEmpty, getuid() != 0 {
            logger.warning("Task \(taskID) asks for user '\(user)'; the executor is not root and runs it as itself")
        }
        if let settings = run.data.logArchive {
            do {
                run.archive = try TaskLogArchive(settings: settings, service: run.data.service, taskID: taskID.value,
                                                 started: Date(), environment: processEnvironment,
                                                 uploadDeadline: environment.logUploadTimeout, logger: logger)
            } catch {
                // The task runs anyway; its logs stay in the sandbox.
                logger.error("\(taskID): logs will not be archived: \(error)")
            }
        }
        var pipes: [(read: Int32, write: Int32)] = []
        var pumps: [LogPump] = []
        do {
            for name in ["stdout", "stderr"] {
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else {
                    throw ExecutorFailure("cannot create a pipe: \(String(cString: strerror(errno)))")
                }
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
                pipes.append((fds[0], fds[1]))
                let log = try RotatingLog(path: "\(sandbox)/\(name)", policy: run.data.logs,
                                          onPiece: run.archive?.pieceHandler)
                pumps.append(LogPump(fd: fds[0], log: log))
            }
        } catch {
            for pipe in pipes {
                close(pipe.read)
                close(pipe.write)
            }
            run.phase = .finished
            send(taskID, .failed, message: "\(error)", reason: .containerLaunchFailed)
            return
        }
        let pid: pid_t
        do {
            pid = try ProcessSpawn.spawn(executable: command.executable, arguments: command.arguments,
                                         environment: command.environment, workingDirectory: sandbox,
                                         stdout: pipes[0].write, stderr: pipes[1].write)
        } catch {
            for pipe in pipes {
                close(pipe.read)
                close(pipe.write)
            }
            run.phase = .finished
            send(taskID, .failed, message: "\(error)", reason: .commandExecutorFailed)
            return
        }
        for pipe in pipes { close(pipe.write) }
        for pump in pumps { pump.start() }
        run.pumps = pumps
        run.phase = .running(pid: pid)
        run.startedAt = .now
        send(taskID, .running, message: "started pid \(pid)")

        let waiter = Thread { [self] in
            let exit = ProcessWait.wait(pid)
            queue.async { self.exited(run, exit) }
        }
        waiter.name = "wait"
        waiter.stackSize = 128 << 10
        waiter.start()

        if let check = run.info.healthCheck ?? run.data.healthCheck, check.type != nil {
            startHealthChecks(run, check: check, environment: command.environment)
        }
        let memoryMB = run.data.memoryMB ?? run.info.resources.first { $0.name == "mem" }?.scalar?.value
        if let limit = MemoryLimit(memoryMB: memoryMB, softLimit: run.data.memorySoftLimit) {
            startMemoryWatch(run, limit: limit)
        }
    }

    /// On `queue`: the task's main process exited. The rest of its group goes too (the container ends with its
    /// main process), the logs are drained, then the terminal update is sent.
    func exited(_ run: TaskRun, _ exit: ProcessExit) {
        guard let pid = run.pid else { return }
        let killedAfter = run.killStartedAt.map { ContinuousClock.now - $0 }
        Glibc.kill(-pid, SIGKILL)
        run.phase = .exiting
        run.healthStop.set()
        run.memoryTimer?.cancel()
        run.escalationTimer?.cancel()
        let kill = run.killCause.map { cause in
            KillOutcome(cause: cause, escalated: run.escalated, graceSeconds: run.killGrace,
                        secondsToExit: killedAfter.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 } ?? 0)
        }
        let pumps = run.pumps, archived = run.archive != nil
        DispatchQueue.global().async { [self] in
            for pump in pumps where !pump.wait(timeout: 5) {
                logger.warning("A process outside the task's group still holds its output; stopped reading it")
                pump.abandon()
            }
            // Every rotated piece handed to the archive before the final files go.
            if archived { for pump in pumps { pump.flushArchives() } }
            let dropped = pumps.reduce(0) { $0 + $1.droppedBytes }
            let total = pumps.reduce(0) { $0 + $1.totalBytes }
            queue.async { [self] in
                if dropped > 0 { logger.warning("\(run.taskID): \(dropped) of \(total) output bytes dropped") }
                let terminal = TerminalStatus(exit: exit, kill: kill, healthy: run.healthy, droppedBytes: dropped)
                run.phase = .finished
                send(run.taskID, terminal.state, message: terminal.message, reason: terminal.reason,
                     healthy: terminal.healthy)
                if let archive = run.archive { archiveFinalLogs(run, archive) }
                checkExit()
            }
        }
    }
}

extension ConvergeExecutor {
    /// On `queue`: uploads the final `stdout` and `stderr` off the queue; the executor waits for it (bounded by
    /// `logUploadTimeout`) before exiting. Files not confirmed stay in the sandbox.
    func archiveFinalLogs(_ run: TaskRun, _ archive: TaskLogArchive) {
        run.archiving = true
        let sandbox = environment.directory, timeout = environment.logUploadTimeout
        let thread = Thread { [self] in
            let started = ContinuousClock.now
            let missed = archive.finish(sandbox: sandbox, names: ["stdout", "stderr"], timeout: timeout)
            let prefix = archive.key("")
            if let missed, missed.isEmpty {
                logger.info("\(run.taskID): logs archived to s3://\(archive.location.bucket)/\(prefix) in \(ContinuousClock.now - started)")
            } else if let missed {
                logger.error("\(run.taskID): not archived (kept in the sandbox): \(missed.joined(separator: ", "))")
            } else {
                logger.error("\(run.taskID): log upload still running after \(timeout) s; giving up (files kept in the sandbox)")
            }
            queue.async {
                run.archiving = false
                self.checkExit()
            }
        }
        thread.name = "archive"
        thread.start()
    }
}
