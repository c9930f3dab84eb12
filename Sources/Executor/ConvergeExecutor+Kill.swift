#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Mesos

extension ConvergeExecutor {
    /// On `queue`: KILL. `grace` from the KILL event's kill policy overrides the task's.
    func kill(_ taskID: TaskID, grace: Double?) {
        guard let run = tasks[taskID] else {
            // Unknown here (never launched, or long gone): say so, as the command executor does.
            logger.warning("KILL for unknown task \(taskID)")
            return
        }
        stop(run, cause: .requested, grace: grace ?? run.defaultGrace)
    }

    /// On `queue`: SIGTERM to the task's group now, SIGKILL after `grace` (a later, shorter grace wins).
    func stop(_ run: TaskRun, cause: KillCause, grace: Double) {
        switch run.phase {
        case .finished, .exiting:
            return
        case .fetching:
            if run.killCause == nil { run.killCause = cause }
            return
        case .running(let pid):
            let grace = max(0, grace)
            let now = ContinuousClock.now
            let deadline = now + .milliseconds(Int(grace * 1000))
            if run.killCause != nil {
                // Already stopping: only a sooner deadline changes anything.
                guard let current = run.killDeadline, deadline < current else { return }
                run.killDeadline = deadline
                run.killGrace = grace + Self.seconds(now - (run.killStartedAt ?? now))
                scheduleEscalation(run, pid: pid, after: grace)
                return
            }
            run.killCause = cause
            run.killGrace = grace
            run.killStartedAt = now
            run.killDeadline = deadline
            run.healthStop.set()
            logger.info("Stopping \(run.taskID): \(grace > 0 ? "SIGTERM, SIGKILL after \(grace) s" : "SIGKILL")")
            Glibc.kill(-pid, grace > 0 ? SIGTERM : SIGKILL)
            if grace > 0 { scheduleEscalation(run, pid: pid, after: grace) }
        }
    }

    private func scheduleEscalation(_ run: TaskRun, pid: Int32, after grace: Double) {
        run.escalationTimer?.cancel()
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + grace)
        timer.setEventHandler { [weak self, weak run] in
            guard let self, let run, run.pid == pid else { return }
            run.escalated = true
            self.logger.info("\(run.taskID) still running after \(grace) s grace: SIGKILL")
            Glibc.kill(-pid, SIGKILL)
        }
        timer.resume()
        run.escalationTimer = timer
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    // MARK: Health

    /// Runs the check on a thread of its own; results go to `queue`.
    func startHealthChecks(_ run: TaskRun, check: HealthCheck, environment: [String: String]) {
        var hosts = ["127.0.0.1"]
        let agentAddress = self.environment.agentEndpoint.split(separator: ":").first.map(String.init)
        for host in [agentAddress, processEnvironment["LIBPROCESS_IP"]].compactMap({ $0 })
        where !hosts.contains(host) && host.first?.isNumber == true {
            hosts.append(host)
        }
        let probe = HealthProbe(check: check, hosts: hosts, sandbox: self.environment.directory,
                                environment: environment)
        run.health = HealthTracker(check)
        let stop = run.healthStop
        let thread = Thread { [self] in
            Self.sleep(check.effectiveDelaySeconds, unless: stop)
            while !stop.isSet {
                let started = ContinuousClock.now
                let passed = probe.run()
                if stop.isSet { break }
                queue.async { self.healthResult(run, passed: passed) }
                let left = check.effectiveIntervalSeconds - Self.seconds(ContinuousClock.now - started)
                Self.sleep(max(0, left), unless: stop)
            }
        }
        thread.name = "health"
        thread.stackSize = 256 << 10
        thread.start()
    }

    private func healthResult(_ run: TaskRun, passed: Bool) {
        guard run.killCause == nil, run.pid != nil, var tracker = run.health else { return }
        let outcome = tracker.record(passed: passed, secondsSinceStart: Self.seconds(ContinuousClock.now - run.startedAt))
        run.health = tracker
        switch outcome {
        case .unchanged:
            break
        case .changed(let healthy):
            run.healthy = healthy
            send(run.taskID, .running, reason: .taskHealthCheckStatusUpdated, healthy: healthy)
        case .kill:
            if run.healthy != false {
                run.healthy = false
                send(run.taskID, .running, reason: .taskHealthCheckStatusUpdated, healthy: false)
            }
            logger.warning("\(run.taskID) failed \(tracker.failures) health checks in a row: killing it")
            stop(run, cause: .healthCheck, grace: run.defaultGrace)
        }
    }

    static func sleep(_ seconds: Double, unless stop: StopFlag) {
        var left = seconds
        while left > 0 && !stop.isSet {
            let step = min(left, 0.1)
            Thread.sleep(forTimeInterval: step)
            left -= step
        }
    }

    // MARK: Memory

    /// Samples the group's RSS every second; past the soft limit, asks the task to stop.
    func startMemoryWatch(_ run: TaskRun, limit: MemoryLimit) {
        run.memoryLimit = limit
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self, weak run] in
            guard let self, let run, let pid = run.pid else { return }
            let bytes = GroupMemory.residentBytes(group: pid)
            run.peakBytes = max(run.peakBytes, bytes)
            if case .memory(let limit, _)? = run.killCause {
                run.killCause = .memory(limit, peakBytes: run.peakBytes)
                return
            }
            guard run.killCause == nil, bytes > limit.limitBytes else { return }
            let grace = run.defaultGrace
            let note = "memory \(Self.megabytes(bytes)) over the soft limit of \(Self.megabytes(limit.limitBytes)): "
                + "SIGTERM, SIGKILL after \(KillOutcome.seconds(grace)) s"
            self.logger.warning("\(run.taskID): \(note)")
            self.send(run.taskID, .running, message: note, healthy: run.healthy)
            self.stop(run, cause: .memory(limit, peakBytes: run.peakBytes), grace: grace)
        }
        timer.resume()
        run.memoryTimer = timer
    }
}
