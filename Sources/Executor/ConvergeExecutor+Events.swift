import Foundation
import Mesos

extension ConvergeExecutor {
    /// On `queue`: one event from the agent.
    func handle(_ event: ExecutorEvent) {
        switch event.type {
        case .subscribed:
            subscribed = true
            everSubscribed = true
            disconnectedSince = nil
            if let subscribed = event.subscribed {
                agentHost = subscribed.agentInfo.hostname
                logger.info("Subscribed", metadata: [
                    "container": "\(subscribed.containerID?.description ?? "-")",
                    "agent": "\(subscribed.agentInfo.hostname)",
                    "unacknowledged_updates": "\(ledger.updates.count)",
                ])
            }
        case .launch:
            if let task = event.launch?.task { launch(task) }
        case .launchGroup:
            for task in event.launchGroup?.taskGroup.tasks ?? [] { launch(task) }
        case .kill:
            if let kill = event.kill { self.kill(kill.taskID, grace: kill.killPolicy?.gracePeriod?.seconds) }
        case .acknowledged:
            if let ack = event.acknowledged, let status = ledger.acknowledged(taskID: ack.taskID, uuid: ack.uuid) {
                delivered[ack.uuid] = nil
                logger.debug("Acknowledged \(status.state) for \(status.taskID)")
                checkExit()
            }
        case .shutdown:
            shutdown()
        case .message:
            logger.info("Message from the framework: \(event.message?.data.data.count ?? 0) bytes")
        case .error:
            logger.error("Agent error: \(event.error?.message ?? "(no message)")")
        case .heartbeat:
            break
        default:
            logger.warning("Ignoring an unknown event \(event.type)")
        }
    }

    /// On `queue`: SHUTDOWN kills every task within the agent's shutdown grace period, then exits.
    func shutdown() {
        guard !shuttingDown else { return }
        shuttingDown = true
        logger.info("Shutting down (agent grace \(environment.shutdownGracePeriod))")
        // Leave a second of the agent's grace for the terminal updates.
        let limit = max(0, Double(environment.shutdownGracePeriod.components.seconds) - 1)
        for run in tasks.values where run.phase != .finished {
            kill(run.taskID, grace: min(run.defaultGrace, limit))
        }
        checkExit()
    }

    // MARK: Updates

    /// On `queue`: sends an update (fresh uuid, SOURCE_EXECUTOR) and keeps it until acknowledged.
    func send(_ taskID: TaskID, _ state: TaskState, message: String? = nil, reason: TaskStatus.Reason? = nil,
              healthy: Bool? = nil) {
        var uuid = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in uuid.indices { uuid[index] = generator.next() }
        let status = TaskStatus(
            taskID: taskID, state: state, message: message, source: .executor, reason: reason,
            executorID: environment.executorID, timestamp: Date().timeIntervalSince1970, uuid: Bytes(Data(uuid)),
            healthy: healthy)
        ledger.sent(status)
        logger.info("\(state) \(taskID)\(message.map { ": \($0)" } ?? "")\(healthy.map { " healthy=\($0)" } ?? "")")
        post(status, attempt: 0)
    }

    /// POSTs one update; retried with backoff while subscribed. When the agent is away the update rides in the
    /// next SUBSCRIBE instead.
    private func post(_ status: TaskStatus, attempt: Int) {
        let call = ExecutorCall.update(frameworkID: environment.frameworkID, executorID: environment.executorID,
                                       status: status)
        sender.async { [self] in
            let problem: String?
            do {
                let response = try connection.send(call)
                problem = response.status == 202
                    ? nil : "\(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))"
            } catch {
                problem = "\(error)"
            }
            queue.async { [self] in
                guard let problem else {
                    if status.state.isTerminal, let uuid = status.uuid, ledger.updates.contains(where: { $0.uuid == uuid }) {
                        delivered[uuid] = .now
                    }
                    return
                }
                logger.warning("UPDATE \(status.state) for \(status.taskID) not accepted: \(problem)")
                guard subscribed, attempt < 5, ledger.updates.contains(where: { $0.uuid == status.uuid }) else { return }
                let delay = Backoff(initial: .milliseconds(200), maximum: .seconds(5)).delay(attempt: attempt)
                queue.asyncAfter(deadline: .now() + Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18) {
                    self.post(status, attempt: attempt + 1)
                }
            }
        }
    }
}
