import DevCluster
import Foundation
import Manifests
import Mesos
import Testing
@testable import Scheduler

/// Scheduled, OnDemand and RunOnce jobs on the dev cluster.
@Suite(.serialized) struct JobDriverTests {
    @Test func scheduledJobFiresOncePerFireTime() async throws {
        try await withDriverCluster(agents: 1, portBase: 47700) { harness in
            let core = try harness.makeCore()
            await core.start()
            let job = try workload("""
                apiVersion: converge/v1
                kind: Scheduled
                metadata: {name: tick}
                spec:
                  schedule: "*/5 * * * *"
                  command: "echo fired at $(date +%s)"
                  resources: {cpus: 0.1, memoryMb: 32}
                """)
            // The cron above fires every five minutes; the test fires every 2 s instead.
            await core.setFireSchedule(IntervalSchedule(anchor: Date(), intervalSeconds: 2), for: "tick")
            await core.apply(desired(job))
            let fired = try await waitFor(core, timeout: 30, "two successful runs") { snapshot in
                (snapshot.services["tick"]?.jobRuns.filter { $0.outcome == .succeeded }.count ?? 0) >= 2
            }
            let service = try #require(fired.services["tick"])
            let fires = service.jobRuns.map(\.fireTime)
            #expect(Set(fires).count == fires.count, "one run per fire time: \(fires)")
            #expect(service.nextFire != nil)
            #expect(service.deployStatus == nil)
            let task = try #require(service.tasks.first)
            #expect(task.state == .finished)
            await core.shutdown()
        }
    }

    @Test func onDemandTriggerRunsWithExtraArgumentsAndEnvironment() async throws {
        try await withDriverCluster(agents: 1, portBase: 47800) { harness in
            let core = try harness.makeCore()
            await core.start()
            // An artifact the fetcher copies into the sandbox.
            let payload = harness.stateDirectory.deletingLastPathComponent().appendingPathComponent("payload-\(UUID().uuidString.prefix(8)).txt")
            try "from the artifact\n".write(to: payload, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: payload) }
            let job = try workload("""
                apiVersion: converge/v1
                kind: OnDemand
                metadata: {name: report}
                spec:
                  instances: 1
                  command: "sleep 1; cat \(payload.lastPathComponent); echo report \\"$GREETING\\""
                  artifacts: [{uri: "file://\(payload.path)", extract: false}]
                  resources: {cpus: 0.1, memoryMb: 32}
                """)
            await core.apply(desired(job))
            try await waitFor(core, "reconciled") { $0.reconciled && $0.services["report"] != nil }
            let taskID = try await core.trigger(service: "report", arguments: ["--day", "it's monday"], environment: ["GREETING": "hello"])
            // At most `instances` runs at once.
            await #expect(throws: SchedulerCoreError.self) {
                try await core.trigger(service: "report")
            }
            await #expect(throws: SchedulerCoreError.self) {
                try await core.trigger(service: "nope")
            }
            let done = try await waitFor(core, timeout: 30, "the run finished") { snapshot in
                snapshot.services["report"]?.jobRuns.contains { $0.taskID == taskID && $0.outcome == .succeeded } ?? false
            }
            let run = try #require(done.services["report"]?.jobRuns.first { $0.taskID == taskID })
            let frameworkID = try #require(done.frameworkID)
            let stdout = try sandboxFile(harness.cluster, agentID: run.agentID, frameworkID: frameworkID, taskID: taskID, file: "stdout")
            #expect(stdout.contains("report hello --day it's monday"), "stdout: \(stdout)")
            #expect(stdout.contains("from the artifact"), "stdout: \(stdout)")
            // A new trigger is accepted once the run is done.
            _ = try await core.trigger(service: "report")
            await core.shutdown()
        }
    }

    @Test func runOnceRunsExactlyOnceAcrossARestart() async throws {
        try await withDriverCluster(agents: 1, portBase: 47900) { harness in
            let marker = harness.stateDirectory.deletingLastPathComponent()
                .appendingPathComponent("runonce-\(UUID().uuidString.prefix(8)).log")
            defer { try? FileManager.default.removeItem(at: marker) }
            let job = try workload("""
                apiVersion: converge/v1
                kind: RunOnce
                metadata: {name: migrate}
                spec:
                  command: "echo ran >> \(marker.path)"
                  resources: {cpus: 0.1, memoryMb: 32}
                """)
            let first = try harness.makeCore()
            await first.start()
            await first.apply(desired(job))
            try await waitFor(first, timeout: 30, "the run succeeded") { snapshot in
                snapshot.services["migrate"]?.jobRuns.contains { $0.outcome == .succeeded } ?? false
            }
            await first.shutdown()

            let second = try harness.makeCore()
            await second.start()
            await second.apply(desired(job))
            let after = try await waitFor(second, "reconciled after the restart") { $0.reconciled && $0.services["migrate"] != nil }
            try await Task.sleep(for: .seconds(2))
            let snapshot = await second.snapshot()
            #expect(snapshot.counters.tasksLaunched == 0, "\(summary(snapshot))")
            #expect(after.services["migrate"]?.jobRuns.filter { $0.outcome == .succeeded }.count == 1)
            let lines = try String(contentsOf: marker, encoding: .utf8).split(separator: "\n")
            #expect(lines == ["ran"])
            await second.shutdown()
        }
    }
}

/// Reads a file of a task's sandbox from the dev cluster's work directory.
func sandboxFile(_ cluster: RunningCluster, agentID: String, frameworkID: String, taskID: String, file: String) throws -> String {
    let path = "\(cluster.workDirectory)/slaves/\(agentID)/frameworks/\(frameworkID)/executors/\(taskID)/runs/latest/\(file)"
    return try String(contentsOfFile: path, encoding: .utf8)
}

extension JobDriverTests {
    @Test func jobRunPastItsTimeLimitIsKilled() async throws {
        try await withDriverCluster(agents: 1, portBase: 48300) { harness in
            let core = try harness.makeCore()
            await core.start()
            let job = try workload("""
                apiVersion: converge/v1
                kind: RunOnce
                metadata: {name: slow}
                spec:
                  command: "sleep 60"
                  timeLimitSeconds: 2
                  resources: {cpus: 0.1, memoryMb: 32}
                  deploy: {killGraceSeconds: 1}
                """)
            await core.apply(desired(job))
            let ended = try await waitFor(core, timeout: 30, "the run failed at its limit") { snapshot in
                snapshot.services["slow"]?.jobRuns.contains { $0.outcome == .failed } ?? false
            }
            let run = try #require(ended.services["slow"]?.jobRuns.first)
            #expect(run.endedAt.map { $0.timeIntervalSince(run.startedAt) } ?? 0 >= 2)
            #expect(try harness.openStore().taskHistory(service: "slow").first?.killReason == .timeLimit)
            // No retries configured: it stays failed.
            try await Task.sleep(for: .seconds(1.5))
            #expect(await core.snapshot().counters.tasksLaunched == 1)
            await core.shutdown()
        }
    }
}
