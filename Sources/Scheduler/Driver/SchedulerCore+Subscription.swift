import Foundation
import Logging
import Mesos

extension SchedulerCore {
    /// The framework as Converge subscribes it: the stored id, failover timeout, partition aware, checkpointing.
    func frameworkInfo() -> FrameworkInfo {
        FrameworkInfo(
            user: configuration.user, name: configuration.frameworkName, id: state.frameworkID.map { FrameworkID($0) },
            failoverTimeout: configuration.failoverTimeoutSeconds, checkpoint: true, roles: [configuration.role],
            capabilities: [.init(.partitionAware), .init(.taskKillingState), .init(.multiRole)])
    }

    /// Subscribes and feeds events to the actor until shutdown; a removed framework starts over with a new id.
    func runSubscriptions() async {
        let logger = configuration.logger
        var attempt = 0
        while !stopped, !Task.isCancelled {
            let client = SchedulerClient(configuration: configuration.client)
            clientBox.client = client
            let events = client.subscribe(framework: frameworkInfo())
            let watcher = Task { [weak self] in
                for await connection in client.connectionStates() {
                    await self?.connectionChanged(connection)
                }
            }
            do {
                for try await event in events {
                    attempt = 0
                    handle(event)
                }
            } catch let error as MesosError {
                if case .frameworkRemoved = error {
                    logger.error("Mesos removed the framework; subscribing as a new one", metadata: ["error": "\(error)"])
                    frameworkRemoved()
                } else {
                    logger.error("Mesos subscription ended", metadata: ["error": "\(error)"])
                }
            } catch {
                logger.error("Mesos subscription ended", metadata: ["error": "\(error)"])
            }
            watcher.cancel()
            if stopped || Task.isCancelled { break }
            await client.close()
            attempt += 1
            let delay = min(30.0, 0.5 * pow(2, Double(min(attempt, 6))))
            try? await Task.sleep(for: .seconds(delay))
        }
    }

    func connectionChanged(_ connection: ConnectionState) {
        guard !stopped else { return }
        let mapped: CoreSnapshot.Connection
        switch connection {
        case .idle, .connecting: mapped = state.connection == .subscribed ? .disconnected(reason: "reconnecting") : .connecting
        // Only the SUBSCRIBED event itself counts: it starts the reconciliation the new session needs.
        case .subscribed: return
        case .reconnecting(_, let reason): mapped = .disconnected(reason: reason)
        case .closed(let reason): mapped = .disconnected(reason: reason)
        }
        guard mapped != state.connection else { return }
        state.connection = mapped
        // Offers do not survive a lost subscription, and the task set needs reconciling again.
        state.offers = [:]
        state.reconciliation.reconciled = false
        state.reconciliation.rebuilt = false
        emit(.connection(mapped))
        needsTick = true
    }

    /// The master forgot the framework (failover timeout passed): its tasks are gone.
    func frameworkRemoved() {
        let now = Date()
        state.frameworkID = nil
        do { try store.setFrameworkID(nil) } catch {
            configuration.logger.error("Cannot clear the framework id", metadata: ["error": "\(error)"])
        }
        for task in state.cluster.tasks.values where !task.state.isTerminal {
            var ended = task
            ended.state = .gone
            ended.lastMessage = "framework removed by the master"
            state.cluster.upsert(ended)
            recordHistory(ended, endedAt: now)
        }
        state.reconciliation = ReconciliationState()
        needsTick = true
    }

    /// A launch call failed: its tasks never reached the master.
    func launchCallFailed(taskIDs: [String], error: String) {
        let now = Date()
        for id in taskIDs {
            guard var task = state.cluster.tasks[id], task.state == .staging else { continue }
            task.state = .dropped
            task.lastMessage = "launch call failed: \(error)"
            state.cluster.upsert(task)
            recordHistory(task, endedAt: now)
            emit(.task(task))
        }
        needsTick = true
    }
}
