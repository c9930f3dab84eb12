import Foundation
import Reconciler
import Scheduler
import Testing

/// READY / UP-TO-DATE counts and a job's last run, read from a controller running real tasks on a dev cluster.
@Suite("Instance counts end to end", .serialized)
struct InstanceCountsEndToEndTests {
    @Test("during a rolling deploy healthy counts every deploy, updated only the target; a job shows its last run")
    func countsDuringRollingDeploy() async throws {
        let harness = try await ControllerHarness.start(agents: 2, portBase: 49800)
        let repo = harness.repository
        try repo.write("web.yaml", httpServiceManifest("web", instances: 2))
        try repo.write("report.yaml", """
            apiVersion: converge/v1
            kind: OnDemand
            metadata: {name: report, owners: [team-data]}
            spec:
              instances: 1
              command: echo report done
              resources: {cpus: 0.1, memoryMb: 32}
            """)
        try repo.commit("create")
        let controller = try harness.controller()
        _ = await controller.sync(trigger: .api)
        #expect(await eventually(timeout: 60) { await controller.converged() }, "not converged after create")
        let settled = try #require(await controller.state().serviceStatus(named: "web", now: Date()))
        #expect((settled.healthyInstances, settled.updatedInstances, settled.updatedHealthyInstances) == (2, 2, 2))

        // A new template: while it rolls, READY never drops below 2 and UP-TO-DATE counts only the new deploy's tasks.
        try repo.write("web.yaml", httpServiceManifest("web", instances: 2, version: "2"))
        try repo.commit("deploy")
        _ = await controller.sync(trigger: .api)
        let target = await controller.state().desired["web"]!.deployId
        var samples: [ServiceStatus] = []
        let rolled = await eventually(timeout: 90) {
            let state = await controller.state()
            if let status = state.serviceStatus(named: "web", now: Date()) { samples.append(status) }
            return await controller.converged()
        }
        #expect(rolled, "rolling deploy did not converge")
        // The core takes the new deploy on its next round: count only samples that target it.
        samples = samples.filter { $0.deployId == target }
        #expect(!samples.isEmpty)
        for status in samples {
            #expect(status.updatedInstances <= status.runningInstances)
            #expect(status.updatedHealthyInstances <= status.updatedInstances && status.updatedHealthyInstances <= status.healthyInstances)
        }
        #expect(samples.map(\.healthyInstances).min() ?? 0 >= 2, "READY dropped: \(samples.map(\.healthyInstances))")
        #expect(samples.contains { $0.healthyInstances > $0.updatedHealthyInstances },
                "no sample saw the old deploy serving while the new one rolled: \(samples.map { ($0.healthyInstances, $0.updatedHealthyInstances) })")
        let done = try #require(await controller.state().serviceStatus(named: "web", now: Date()))
        #expect((done.healthyInstances, done.updatedInstances, done.updatedHealthyInstances, done.desiredInstances) == (2, 2, 2, 2))

        // A job: no READY count, its last run once triggered.
        let before = try #require(await controller.state().serviceStatus(named: "report", now: Date()))
        #expect(before.lastRun == nil && before.nextRun == nil && before.owners == ["team-data"])
        let run = try await controller.trigger(service: "report", arguments: [], environment: [:])
        let finished = await eventually(timeout: 60) {
            await controller.state().serviceStatus(named: "report", now: Date())?.lastRun?.outcome == .succeeded
        }
        #expect(finished, "the triggered run did not succeed")
        let after = try #require(await controller.state().serviceStatus(named: "report", now: Date()))
        #expect(after.lastRun?.taskID == run)
        let document = ServiceDocument(after)
        #expect(document.lastRun?.outcome == "succeeded" && document.lastRun?.endedAt != nil)

        await controller.shutdown()
        await harness.stop()
    }
}
