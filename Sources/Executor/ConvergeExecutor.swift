#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import Mesos

/// The Converge executor: subscribes to its agent, runs the tasks it is given, reports their states, and exits
/// once every task is terminal, its terminal update delivered, and its processes gone.
///
/// All state lives on `queue`; the event stream, update POSTs, downloads, health checks, log pumps and process
/// waits run on threads of their own and hand their results to `queue`.
public final class ConvergeExecutor: @unchecked Sendable {  // @unchecked: mutable state is confined to `queue`.
    let environment: ExecutorEnvironment
    /// The executor's own environment, the base of each task's.
    let processEnvironment: [String: String]
    let connection: AgentExecutorConnection
    let logger: Logger
    let queue = DispatchQueue(label: "converge.executor")
    /// POSTs updates one at a time, in order.
    let sender = DispatchQueue(label: "converge.executor.updates")

    var ledger = UpdateLedger()
    /// Terminal updates the agent answered 202 for, with when; acknowledgements are awaited a while longer.
    var delivered: [Bytes: ContinuousClock.Instant] = [:]
    var subscribed = false
    var everSubscribed = false
    var disconnectedSince: ContinuousClock.Instant? = .now
    var agentHost: String?
    var tasks: [TaskID: TaskRun] = [:]
    var shuttingDown = false
    let stopping = StopFlag()
    private let finished = DispatchSemaphore(value: 0)
    var exitCode: Int32 = 0
    var exitTimer: DispatchSourceTimer?
    var signalSource: DispatchSourceSignal?

    /// How long a delivered terminal update may wait for its acknowledgement before the executor exits anyway
    /// (the agent has checkpointed it and keeps forwarding it).
    var acknowledgementWait: Duration = .seconds(15)

    public init(environment: ExecutorEnvironment, processEnvironment: [String: String], logger: Logger) {
        self.environment = environment
        self.processEnvironment = processEnvironment
        self.connection = AgentExecutorConnection(endpoint: environment.agentEndpoint)
        self.logger = logger
    }

    /// Runs until the executor is done; returns the process exit code.
    public func run() -> Int32 {
        logger.info("converge-executor starting", metadata: [
            "executor": "\(environment.executorID)", "framework": "\(environment.frameworkID)",
            "agent": "\(environment.agentEndpoint)", "checkpoint": "\(environment.checkpoint)",
        ])
        let thread = Thread { [self] in subscriptionLoop() }
        thread.name = "subscription"
        thread.start()
        queue.async { self.scheduleExitCheck() }
        // A SIGTERM (an operator, or a launcher that asks first) is a SHUTDOWN.
        signal(SIGTERM, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: queue)
        source.setEventHandler { [self] in
            logger.info("SIGTERM: shutting down")
            shutdown()
        }
        source.resume()
        signalSource = source
        finished.wait()
        return exitCode
    }

    /// Called on `queue` when the executor should stop: kills what is left, drains logs and ends `run`.
    func terminate(code: Int32, reason: String) {
        guard !stopping.isSet else { return }
        stopping.set()
        logger.info("converge-executor exiting: \(reason)")
        for run in tasks.values {
            run.healthStop.set()
            run.memoryTimer?.cancel()
            run.escalationTimer?.cancel()
            if let pid = run.pid {
                Glibc.kill(-pid, SIGKILL)
                logger.warning("Killed process group \(pid) of task \(run.taskID) on exit")
            }
        }
        exitCode = code
        let pumps = tasks.values.flatMap(\.pumps)
        DispatchQueue.global().async { [self] in
            for pump in pumps where !pump.wait(timeout: 5) { pump.abandon() }
            for pump in pumps { pump.flushArchives() }
            logger.info("converge-executor exited: logs flushed, processes gone")
            finished.signal()
        }
    }

    // MARK: Subscription

    private func subscriptionLoop() {
        let backoff = Backoff(initial: .milliseconds(100), maximum: environment.subscriptionBackoffMax)
        var attempt = 0
        while !stopping.isSet {
            let call = queue.sync { ledger.subscribeCall(frameworkID: environment.frameworkID,
                                                         executorID: environment.executorID) }
            let end = connection.subscribe(call, isCancelled: { [stopping] in stopping.isSet }, onEvent: { event in
                self.queue.async { self.handle(event) }
            })
            if stopping.isSet { break }
            let wasSubscribed = queue.sync { () -> Bool in
                let was = subscribed
                subscribed = false
                if disconnectedSince == nil { disconnectedSince = .now }
                return was
            }
            if wasSubscribed { attempt = 0 }
            logger.warning("Event stream ended: \(end)")
            if case .rejected(let status, _) = end, (400..<500).contains(status) {
                queue.async { self.lostAgent("the agent refused the subscription (\(end))") }
                break
            }
            if queue.sync(execute: { checkDisconnection() }) { break }
            let delay = backoff.delay(attempt: attempt)
            attempt += 1
            Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
        }
    }

    /// On `queue`: true when the executor gave up on the agent.
    private func checkDisconnection() -> Bool {
        if stopping.isSet { return true }
        if everSubscribed && !environment.checkpoint {
            lostAgent("the agent went away and the framework does not checkpoint")
            return true
        }
        if let since = disconnectedSince, ContinuousClock.now - since > environment.recoveryTimeout {
            lostAgent("no agent for \(environment.recoveryTimeout) (MESOS_RECOVERY_TIMEOUT)")
            return true
        }
        return false
    }

    /// The agent is gone for good: nothing can be reported any more; kill the tasks and exit.
    private func lostAgent(_ reason: String) {
        logger.error("Giving up: \(reason)")
        terminate(code: 1, reason: reason)
    }

    // MARK: Exit

    /// Every second: exit once all tasks are terminal and their terminal updates acknowledged (or delivered long
    /// enough ago).
    func scheduleExitCheck() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in self?.checkExit() }
        timer.resume()
        exitTimer = timer
    }

    func checkExit() {
        guard !stopping.isSet, everSubscribed || shuttingDown else { return }
        guard !tasks.isEmpty || shuttingDown else { return }
        guard tasks.values.allSatisfy({ $0.phase == .finished && !$0.archiving }) else { return }
        let now = ContinuousClock.now
        let waiting = ledger.updates.filter { status in
            guard status.state.isTerminal, let uuid = status.uuid else { return false }
            guard let at = delivered[uuid] else { return true }
            return now - at < (shuttingDown ? .seconds(1) : acknowledgementWait)
        }
        if waiting.isEmpty {
            terminate(code: 0, reason: shuttingDown ? "shut down by the agent" : "every task is terminal")
        }
    }
}
