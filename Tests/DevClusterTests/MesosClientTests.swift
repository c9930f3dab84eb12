import Foundation
import Mesos
import Synchronization
import Testing
@testable import DevCluster

/// The project's own Mesos client (module Mesos) against the dev master.
@Suite struct MesosClientTests {
    /// Collects a client's events for tests to wait on.
    final class EventLog: Sendable {
        private let events = Mutex<[Event]>([])
        func append(_ event: Event) { events.withLock { $0.append(event) } }
        var all: [Event] { events.withLock { $0 } }

        func wait(timeout: Double = 20, _ matches: @escaping @Sendable (Event) -> Bool) async throws -> Event {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let event = all.first(where: matches) { return event }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw RawHTTPError("timed out; events: \(all.map(\.type.rawValue))")
        }

        func count(_ matches: (Event) -> Bool) -> Int { all.filter(matches).count }

        /// Waits until the whole log satisfies `condition`.
        func waitUntil(timeout: Double = 20, _ condition: ([Event]) -> Bool) async throws {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if condition(all) { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw RawHTTPError("timed out; events: \(all.map(\.type.rawValue))")
        }
    }

    @Test func clientSubscribesLaunchesReconcilesAndSurvivesHeartbeatLossAndMasterFailover() async throws {
        try await withCluster(agents: 1, portBase: 46000, configure: { $0.heartbeatInterval = 0.3; $0.standby = true }) { cluster in
            let standby = try #require(cluster.standbyAddress)
            var configuration = try MesosClientConfiguration(masters: [standby])
            configuration.reconnectBackoff = Backoff(initial: .milliseconds(100), maximum: .milliseconds(500))
            configuration.logger.logLevel = .critical
            let client = SchedulerClient(configuration: configuration)
            let log = EventLog()
            let stream = client.subscribe(framework: FrameworkInfo(user: "test", name: "client-test", failoverTimeout: 60,
                                                                   capabilities: [.init(.partitionAware)]))
            let reader = Task { for try await event in stream { log.append(event) } }
            defer { reader.cancel() }

            // Subscribed through the standby's 307, offered, launched.
            let subscribed = try await log.wait { $0.type == .subscribed }
            let frameworkID = try #require(subscribed.subscribed?.frameworkID)
            let offer = try #require(try await log.wait { $0.type == .offers }.offers?.offers.first)
            let task = TaskInfo(name: "client-task", taskID: "client-task", agentID: offer.agentID,
                                resources: [.scalar("cpus", 0.5), .scalar("mem", 64)], command: CommandInfo(value: "sleep 300"))
            try await client.launch(offerIDs: [offer.id], tasks: [task])
            for state in [TaskState.starting, .running] {
                let update = try await log.wait { $0.update?.status.taskID == "client-task" && $0.update?.status.state == state }
                let status = try #require(update.update?.status)
                #expect(status.uuid != nil)
                #expect(try await client.acknowledge(status))
            }

            // Reconciliation answers from the master.
            try await client.reconcile(tasks: [Call.Reconcile.Task(taskID: "client-task", agentID: offer.agentID)])
            let answer = try await log.wait { $0.update?.status.reason == .reconciliation }
            #expect(answer.update?.status.state == .running)
            #expect(answer.update?.status.source == .master)
            #expect(answer.update?.status.uuid == nil)

            // Heartbeats stop: the client drops the stream and re-subscribes with its framework id.
            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/admin/heartbeats?enabled=false").status == 200)
            try await log.waitUntil(timeout: 20) { events in events.filter { $0.type == .subscribed }.count >= 2 }
            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/admin/heartbeats?enabled=true").status == 200)
            #expect(log.all.filter { $0.type == .subscribed }.allSatisfy { $0.subscribed?.frameworkID == frameworkID })

            // Master failover keeping the registry: 503 while recovering, then the client is back and the task too.
            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/admin/master/restart?recovery_seconds=1").status == 200)
            let before = log.count { $0.type == .subscribed }
            try await log.waitUntil(timeout: 30) { events in events.filter { $0.type == .subscribed }.count > before }
            try await client.reconcile(tasks: [])
            try await log.waitUntil { events in
                let lastSubscribed = events.lastIndex { $0.type == .subscribed } ?? 0
                return events[lastSubscribed...].contains { $0.update?.status.reason == .reconciliation }
            }
            let events = log.all
            let lastSubscribed = events.lastIndex { $0.type == .subscribed } ?? 0
            let reconciled = events[lastSubscribed...].first { $0.update?.status.reason == .reconciliation }
            #expect(reconciled?.update?.status.state == .running)
            await client.close()
        }
    }
    /// Framework failover with the Swift client: a dropped connection within failover_timeout keeps the
    /// task (the client re-subscribes with its id); a framework that stays away longer is removed, its task
    /// killed, and subscribing with the old id ends the stream with `frameworkRemoved`.
    @Test func clientFailoverWithinTheTimeoutKeepsTasksAndBeyondItIsRemoved() async throws {
        try await withCluster(agents: 1, portBase: 46100) { cluster in
            var configuration = try MesosClientConfiguration(masters: [cluster.masterURL])
            configuration.reconnectBackoff = Backoff(initial: .milliseconds(100), maximum: .milliseconds(500))
            configuration.logger.logLevel = .critical
            let client = SchedulerClient(configuration: configuration)
            let log = EventLog()
            let stream = client.subscribe(framework: FrameworkInfo(user: "test", name: "failover-test", failoverTimeout: 2))
            let reader = Task { for try await event in stream { log.append(event) } }
            defer { reader.cancel() }

            let frameworkID = try #require(try await log.wait { $0.type == .subscribed }.subscribed?.frameworkID)
            let offer = try #require(try await log.wait { $0.type == .offers }.offers?.offers.first)
            let task = TaskInfo(name: "survivor", taskID: "survivor", agentID: offer.agentID,
                                resources: [.scalar("cpus", 0.1), .scalar("mem", 32)], command: CommandInfo(value: "sleep 300"))
            try await client.launch(offerIDs: [offer.id], tasks: [task])
            let running = try await log.wait { $0.update?.status.taskID == "survivor" && $0.update?.status.state == .running }
            _ = try await client.acknowledge(try #require(running.update?.status))

            // Within the timeout: the master drops the connection, the client comes back with the same id.
            let dropped = try await RawHTTP.send(port: cluster.port, "POST", "/admin/frameworks/\(frameworkID.value)/disconnect")
            #expect(dropped.status == 200)
            try await log.waitUntil { events in events.filter { $0.type == .subscribed }.count >= 2 }
            #expect(log.all.filter { $0.type == .subscribed }.allSatisfy { $0.subscribed?.frameworkID == frameworkID })
            try await client.reconcile(tasks: [Call.Reconcile.Task(taskID: "survivor", agentID: offer.agentID)])
            let kept = try await log.wait { $0.update?.status.taskID == "survivor" && $0.update?.status.reason == .reconciliation }
            #expect(kept.update?.status.state == .running)
            let groups = await cluster.processGroups()
            #expect(groups.count == 1)
            #expect(groups.contains { kill(-$0, 0) == 0 })

            // Beyond the timeout: the framework is gone and so is its task's process.
            await client.close()
            let deadline = Date().addingTimeInterval(20)
            while groups.contains(where: { kill(-$0, 0) == 0 }), Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(!groups.contains { kill(-$0, 0) == 0 }, "the removed framework's task process is still alive")

            let late = SchedulerClient(configuration: configuration)
            let lateStream = late.subscribe(framework: FrameworkInfo(user: "test", name: "failover-test", id: frameworkID, failoverTimeout: 2))
            var ending: (any Error)?
            do { for try await _ in lateStream {} } catch { ending = error }
            guard case .frameworkRemoved? = ending as? MesosError else {
                Issue.record("expected frameworkRemoved, got \(String(describing: ending))")
                return
            }
            await late.close()
        }
    }
}
