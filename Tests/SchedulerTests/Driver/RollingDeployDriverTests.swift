import DevCluster
import Foundation
import Manifests
import Mesos
import Testing
@testable import Scheduler

/// Rolling deploys gated on health, failed deploys, and a scheduler restart in the middle of a deploy.
@Suite(.serialized) struct RollingDeployDriverTests {
    @Test func rollingDeployReplacesTheOldDeployWithoutLosingHealthyCapacity() async throws {
        try await withDriverCluster(portBase: 47100) { harness in
            let core = try harness.makeCore()
            await core.start()
            let v1 = try workload(webManifest(instances: 3, version: "v1"))
            await core.apply(desired(v1))
            try await waitFor(core, "v1 healthy") { $0.services["web"]?.deploys.first?.outcome == .succeeded && $0.services["web"]?.healthyCount == 3 }

            let sampler = CapacitySampler()
            await sampler.start(core, service: "web")
            let v2 = try workload(webManifest(instances: 3, version: "v2"))
            #expect(v2.deployId != v1.deployId)
            await core.apply(desired(v2, revision: "r2"))
            let done = try await waitFor(core, timeout: 60, "v2 replaced v1") { snapshot in
                guard let web = snapshot.services["web"] else { return false }
                return web.deploys.first?.deployID == v2.deployId && web.deploys.first?.outcome == .succeeded
                    && web.tasks.filter { !$0.state.isTerminal }.count == 3
            }
            let (minimum, samples) = await sampler.stop()
            #expect(samples > 20)
            #expect(minimum >= 3, "healthy capacity dropped to \(minimum) during the rolling deploy")
            let web = try #require(done.services["web"])
            #expect(web.active(deploy: v2.deployId).count == 3)
            #expect(web.active(deploy: v1.deployId).isEmpty)
            #expect(web.deploys.first { $0.deployID == v2.deployId }?.revision == "r2")
            for task in web.activeTasks {
                #expect(try await httpGet(host: task.hostname, port: task.ports[0], path: "/version").contains("v2"))
            }
            await core.shutdown()
        }
    }

    @Test func failingDeployKeepsThePreviousDeployAndRecordsWhy() async throws {
        try await withDriverCluster(portBase: 47200) { harness in
            let core = try harness.makeCore()
            await core.start()
            let v1 = try workload(webManifest(instances: 2, version: "v1"))
            await core.apply(desired(v1))
            let before = try await waitFor(core, "v1 healthy") { $0.services["web"]?.deploys.first?.outcome == .succeeded && $0.services["web"]?.healthyCount == 2 }
            let v1Tasks = Set(try #require(before.services["web"]).activeTasks.map(\.taskID))

            // v2 never turns healthy (its health path does not exist) and has a short deadline.
            let v2 = try workload(webManifest(instances: 2, version: "v2", healthPath: "/missing",
                                              deploy: "{stepSize: 1, healthyDeadlineSeconds: 4, killGraceSeconds: 1}"))
            await core.apply(desired(v2, revision: "r2"))
            let failed = try await waitFor(core, timeout: 40, "v2 failed and its tasks gone") { snapshot in
                guard let web = snapshot.services["web"] else { return false }
                return web.deploys.first { $0.deployID == v2.deployId }?.outcome == .failed
                    && web.tasks.filter { $0.deployID == v2.deployId && !$0.state.isTerminal }.isEmpty
            }
            let web = try #require(failed.services["web"])
            let entry = try #require(web.deploys.first { $0.deployID == v2.deployId })
            #expect(entry.reason?.contains("not healthy after 4s") == true)
            #expect(web.currentDeployID == v2.deployId)
            #expect(web.runningDeployID == v1.deployId)
            if case .failed = web.deployStatus {} else { Issue.record("deploy status \(String(describing: web.deployStatus))") }
            #expect(Set(web.activeTasks.map(\.taskID)) == v1Tasks, "the old deploy's tasks must keep running untouched")
            #expect(web.tasks.filter { $0.deployID == v2.deployId }.allSatisfy { $0.state.isTerminal })
            #expect(failed.counters.deploysFailed == 1)
            #expect(try harness.openStore().deployHistory(service: "web").first { $0.deployID == v2.deployId }?.outcome == .failed)

            // Still stable a little later: nothing relaunched for the failed deploy.
            try await Task.sleep(for: .seconds(2))
            let later = try #require(await core.snapshot().services["web"])
            #expect(Set(later.activeTasks.map(\.taskID)) == v1Tasks)
            await core.shutdown()
        }
    }

    @Test func schedulerRestartMidDeployKillsNothingAndLaunchesNoDuplicate() async throws {
        try await withDriverCluster(portBase: 47300) { harness in
            let first = try harness.makeCore()
            await first.start()
            let v1 = try workload(webManifest(instances: 2, version: "v1"))
            await first.apply(desired(v1))
            try await waitFor(first, "v1 healthy") { $0.services["web"]?.deploys.first?.outcome == .succeeded && $0.services["web"]?.healthyCount == 2 }

            // v2 with a step wait: the deploy is mid-way when the scheduler goes away.
            let v2 = try workload(webManifest(instances: 2, version: "v2",
                                              deploy: "{stepSize: 1, stepWaitSeconds: 3, healthyDeadlineSeconds: 90, killGraceSeconds: 1}"))
            await first.apply(desired(v2, revision: "r2"))
            let mid = try await waitFor(first, "first v2 instance healthy") { $0.services["web"]?.healthyCount == 1 }
            let frameworkID = mid.frameworkID
            await first.shutdown()
            let liveAtShutdown = Set(mid.services["web"]!.tasks.filter { !$0.state.isTerminal }.map(\.taskID))

            let second = try harness.makeCore()
            await second.start()
            await second.apply(desired(v2, revision: "r2"))
            let recovered = try await waitFor(second, "reconciled with the old tasks") { snapshot in
                snapshot.reconciled && snapshot.services["web"].map { Set($0.tasks.map(\.taskID)).isSuperset(of: liveAtShutdown) } ?? false
            }
            #expect(recovered.frameworkID == frameworkID)
            let done = try await waitFor(second, timeout: 60, "v2 complete after the restart") { snapshot in
                guard let web = snapshot.services["web"] else { return false }
                return web.deploys.first?.deployID == v2.deployId && web.deploys.first?.outcome == .succeeded
                    && web.tasks.filter { !$0.state.isTerminal }.count == 2
            }
            let web = try #require(done.services["web"])
            #expect(web.active(deploy: v2.deployId).count == 2)
            // Exactly one more v2 task was launched after the restart, none for the slot already running v2.
            let v2Launched = try harness.openStore().taskHistory(service: "web").filter { $0.deployID == v2.deployId }
            #expect(v2Launched.count == 2, "v2 tasks launched: \(v2Launched.map(\.taskID))")
            #expect(done.counters.tasksLaunched == 1)
            // The restart itself killed nothing: only v1 tasks were replaced.
            let killed = try harness.openStore().taskHistory(service: "web").filter { $0.killReason != nil }
            #expect(killed.allSatisfy { $0.deployID == v1.deployId && $0.killReason == .replacedByDeploy })
            await second.shutdown()
        }
    }
}

extension RollingDeployDriverTests {
    @Test func newerDeploySupersedesOneInProgress() async throws {
        try await withDriverCluster(portBase: 48940) { harness in
            let core = try harness.makeCore()
            await core.start()
            let v1 = try workload(webManifest(instances: 2, version: "v1"))
            await core.apply(desired(v1))
            try await waitFor(core, "v1 healthy") { $0.services["web"]?.deploys.first?.outcome == .succeeded && $0.services["web"]?.healthyCount == 2 }
            // v2 waits between steps, so it is still in progress when v3 arrives.
            let v2 = try workload(webManifest(instances: 2, version: "v2",
                                              deploy: "{stepSize: 1, stepWaitSeconds: 30, healthyDeadlineSeconds: 90, killGraceSeconds: 1}"))
            await core.apply(desired(v2, revision: "r2"))
            try await waitFor(core, "first v2 instance healthy") { $0.services["web"]?.healthyCount == 1 }
            let v3 = try workload(webManifest(instances: 2, version: "v3"))
            await core.apply(desired(v3, revision: "r3"))
            let done = try await waitFor(core, timeout: 60, "v3 complete") { snapshot in
                guard let web = snapshot.services["web"] else { return false }
                return web.deploys.first?.deployID == v3.deployId && web.deploys.first?.outcome == .succeeded
                    && web.tasks.filter { !$0.state.isTerminal }.count == 2
            }
            let web = try #require(done.services["web"])
            #expect(web.deploys.first { $0.deployID == v2.deployId }?.outcome == .superseded)
            #expect(web.deploys.first { $0.deployID == v1.deployId }?.outcome == .succeeded)
            #expect(web.active(deploy: v3.deployId).count == 2)
            await core.shutdown()
        }
    }
}
