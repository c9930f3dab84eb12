import DevCluster
import Foundation
import Manifests
@testable import Mesos
import Testing
@testable import Scheduler

/// Crash loops, agent loss and decommissioning on the dev cluster.
@Suite(.serialized) struct FailureDriverTests {
    @Test func crashLoopBacksOffThenCoolsDownVisibly() async throws {
        try await withDriverCluster(agents: 1, portBase: 47400) { harness in
            let core = try harness.makeCore {
                $0.backoff = BackoffPolicy(baseSeconds: 0.5, maxSeconds: 4, jitter: 0, crashLoopFailures: 4,
                                           crashLoopWindowSeconds: 60, cooldownSeconds: 30)
            }
            await core.start()
            let crasher = try workload("""
                apiVersion: converge/v1
                kind: Worker
                metadata: {name: crasher}
                spec:
                  instances: 1
                  command: "echo starting; exit 3"
                  resources: {cpus: 0.1, memoryMb: 32}
                """)
            await core.apply(desired(crasher))
            var sawBackoff = false
            let cooled = try await waitFor(core, timeout: 40, "crash-loop cooldown") { snapshot in
                guard let service = snapshot.services["crasher"] else { return false }
                if case .backoff = service.launchGate { sawBackoff = true }
                if case .cooldown = service.launchGate { return true }
                return false
            }
            #expect(sawBackoff)
            let service = try #require(cooled.services["crasher"])
            guard case .cooldown(let until, let reason) = service.launchGate else { return }
            #expect(reason.contains("crash loop"))
            #expect(reason.contains("exited with status 3"))
            #expect(until > Date())
            let failures = service.tasks.filter { $0.state == .failed }.count
            #expect(failures >= 4)
            // Launches are spaced by the backoff, not immediate.
            let launches = service.tasks.map(\.launchedAt).sorted()
            let gaps = zip(launches.dropFirst(), launches).map { $0.timeIntervalSince($1) }
            #expect(gaps.last.map { $0 >= 0.9 } ?? false, "gaps between launches: \(gaps)")
            // In cooldown nothing more is launched.
            let launched = cooled.counters.tasksLaunched
            try await Task.sleep(for: .seconds(2))
            #expect(await core.snapshot().counters.tasksLaunched == launched)
            await core.shutdown()
        }
    }

    @Test func lostAgentsTasksAreReplacedElsewhere() async throws {
        try await withDriverCluster(agents: 3, portBase: 47500, configure: { $0.agentReregisterTimeout = 1 }) { harness in
            let core = try harness.makeCore()
            await core.start()
            await core.apply(desired(try workload(webManifest(instances: 2, spread: "separateHosts"))))
            let running = try await waitFor(core, "2 healthy") { $0.services["web"]?.healthyCount == 2 }
            let victim = try #require(running.services["web"]?.activeTasks.first)
            let response = try await adminPost(harness.cluster, "/admin/agents/\(victim.agentID)/stop")
            #expect(response == 200)
            let replaced = try await waitFor(core, timeout: 40, "replacement healthy") { snapshot in
                guard let web = snapshot.services["web"] else { return false }
                return web.healthyCount == 2 && !web.activeTasks.contains { $0.agentID == victim.agentID }
            }
            let web = try #require(replaced.services["web"])
            let lost = try #require(web.tasks.first { $0.taskID == victim.taskID })
            #expect([.unreachable, .lost, .gone].contains(lost.state))
            #expect(Set(web.activeTasks.map(\.agentID)).count == 2)
            #expect(web.activeTasks.contains { $0.slot == victim.slot })
            await core.shutdown()
        }
    }

    @Test func decommissionMovesTasksWithoutLosingHealthyCapacity() async throws {
        try await withDriverCluster(agents: 4, portBase: 47600) { harness in
            let core = try harness.makeCore()
            await core.start()
            let web = try workload(webManifest(instances: 3, spread: "separateHosts"))
            await core.apply(desired(web))
            let running = try await waitFor(core, "3 healthy") { $0.services["web"]?.healthyCount == 3 }
            let tasks = try #require(running.services["web"]).activeTasks
            #expect(Set(tasks.map(\.agentID)).count == 3)

            // Take out an agent that runs an instance; the fourth agent is free for its replacement.
            let leavingID = try #require(tasks.first).agentID
            let leaving = try #require(harness.cluster.agents.first { $0.id.value == leavingID })
            let sampler = CapacitySampler()
            await sampler.start(core, service: "web")
            await core.apply(desired(web, decommission: [DecommissionSelector(hostname: leaving.hostname)]))
            _ = try await waitFor(core, timeout: 40, "agent decommissioned") { snapshot in
                snapshot.agents[leaving.id.value]?.state == .decommissioned
            }
            let (minimum, samples) = await sampler.stop()
            #expect(samples > 10)
            #expect(minimum >= 3, "healthy capacity dropped to \(minimum) while decommissioning")
            let after = try #require(await core.snapshot().services["web"])
            #expect(after.healthyCount == 3)
            #expect(!after.activeTasks.contains { $0.agentID == leaving.id.value })
            #expect(try harness.openStore().agentStates()[leaving.id.value] == .decommissioned)
            // It stays empty.
            try await Task.sleep(for: .seconds(1))
            #expect(await core.snapshot().agents[leaving.id.value]?.taskCount == 0)
            await core.shutdown()
        }
    }
}

/// POSTs to the dev cluster's admin endpoints; returns the status.
func adminPost(_ cluster: RunningCluster, _ path: String) async throws -> Int {
    let transport = HTTPTransport(security: TransportSecurity())
    let response = try await transport.perform(HTTPRequest(method: "POST", url: "\(cluster.masterURL)\(path)", body: Data(),
                                                           connectTimeout: .seconds(5), totalTimeout: .seconds(10)))
    return response.status
}

extension FailureDriverTests {
    @Test func mesosMaintenanceDrainsTheAgentAndAcceptsItsInverseOffer() async throws {
        try await withDriverCluster(agents: 3, portBase: 48400) { harness in
            let core = try harness.makeCore()
            await core.start()
            await core.apply(desired(try workload(webManifest(instances: 2, spread: "separateHosts"))))
            let running = try await waitFor(core, "2 healthy") { $0.services["web"]?.healthyCount == 2 }
            let victim = try #require(running.services["web"]?.activeTasks.first)
            let sampler = CapacitySampler()
            await sampler.start(core, service: "web")

            let operatorClient = OperatorClient(configuration: try MesosClientConfiguration(masters: [harness.cluster.address]))
            let window = MaintenanceSchedule.Window(
                machineIDs: [MachineID(hostname: victim.hostname, ip: victim.hostname)],
                unavailability: Unavailability(start: TimeInfo(secondsSinceEpoch: Date().timeIntervalSince1970 + 3600)))
            try await operatorClient.send(.updateMaintenanceSchedule(MaintenanceSchedule(windows: [window])))

            let drained = try await waitFor(core, timeout: 40, "agent emptied and its inverse offer accepted") { snapshot in
                snapshot.agents[victim.agentID]?.state == .decommissioned && snapshot.counters.inverseOffersAccepted >= 1
            }
            let (minimum, _) = await sampler.stop()
            #expect(minimum >= 2, "healthy capacity dropped to \(minimum) while draining")
            let web = try #require(drained.services["web"])
            #expect(web.healthyCount == 2)
            #expect(!web.activeTasks.contains { $0.agentID == victim.agentID })
            #expect(try harness.openStore().agentStates()[victim.agentID] == .decommissioned)
            await core.shutdown()
        }
    }

    @Test func changeStreamsSeeTheCoreAndEndAtShutdown() async throws {
        try await withDriverCluster(agents: 1, portBase: 48500) { harness in
            let core = try harness.makeCore()
            let first = await core.changes()
            let second = await core.changes()
            await core.start()
            await core.apply(desired(try workload(webManifest(instances: 1))))
            try await waitFor(core, "healthy") { $0.services["web"]?.healthyCount == 1 }
            await core.shutdown()
            for stream in [first, second] {
                var reconciled = false, subscribed = false, tasks = 0, deploys = 0
                for await change in stream {
                    switch change {
                    case .reconciled: reconciled = true
                    case .connection(let connection): if connection == .subscribed { subscribed = true }
                    case .task: tasks += 1
                    case .deploy: deploys += 1
                    case .agent: break
                    }
                }
                #expect(reconciled && subscribed)
                #expect(tasks >= 3)
                #expect(deploys >= 2)
            }
            let after = await core.changes()
            for await _ in after { Issue.record("a stream after shutdown must end at once") }
        }
    }
}
