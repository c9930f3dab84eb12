import Foundation
import Testing
@testable import Scheduler

@Suite("State store")
struct StateStoreTests {
    /// A store in a fresh temp directory, removed afterwards.
    func withStore(_ body: (StateStore, URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("converge-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(try StateStore(directory: directory), directory)
    }

    @Test func migratesAndKeepsTheFrameworkIDAcrossReopen() throws {
        try withStore { store, directory in
            #expect(try store.appliedMigrations() == ["v1: settings, agents, overrides, history", "v2: canary phase of deploys", "v3: audit log"])
            #expect(try store.frameworkID() == nil)
            try store.setFrameworkID("fw-1")
            try store.setFrameworkID("fw-2")
            let reopened = try StateStore(directory: directory)
            #expect(try reopened.frameworkID() == "fw-2")
            #expect(try reopened.appliedMigrations().count == 3, "migrations run once")
            try reopened.setFrameworkID(nil)
            #expect(try reopened.frameworkID() == nil)
        }
    }

    @Test func decommissionProgressSurvivesRestarts() throws {
        try withStore { store, directory in
            try store.setAgentState("a1", .decommissioning, at: t0)
            try store.setAgentState("a2", .decommissioning, at: t0)
            try store.setAgentState("a2", .decommissioned, at: t0.addingTimeInterval(60))
            try store.setAgentState("a3", .decommissioning, at: t0)
            try store.setAgentState("a3", .active, at: t0)
            #expect(try StateStore(directory: directory).agentStates() == ["a1": .decommissioning, "a2": .decommissioned])
        }
    }

    @Test func overridesExpireOnTheirOwn() throws {
        let store = try StateStore.inMemory()
        try store.putOverride(Override(service: "web", kind: .scale, value: 40, reason: "incident", createdAt: t0, expiresAt: t0.addingTimeInterval(7200)))
        try store.putOverride(Override(service: "web", kind: .pause, reason: "freeze", createdAt: t0, expiresAt: nil))
        try store.putOverride(Override(service: "api", kind: .skipHealthChecks, reason: "debug", createdAt: t0, expiresAt: t0.addingTimeInterval(60)))
        #expect(try store.activeOverrides(now: t0.addingTimeInterval(30)).count == 3)
        let later = try store.activeOverrides(now: t0.addingTimeInterval(3600))
        #expect(later.map(\.kind) == [.pause, .scale])
        #expect(later.first { $0.kind == .scale }?.value == 40)
        // Replacing an override of the same kind updates it.
        try store.putOverride(Override(service: "web", kind: .scale, value: 20, reason: "calmer", createdAt: t0, expiresAt: t0.addingTimeInterval(100)))
        #expect(try store.activeOverrides(now: t0.addingTimeInterval(3600)).map(\.kind) == [.pause])
        #expect(try store.pruneExpiredOverrides(now: t0.addingTimeInterval(3600)) == 2)
        try store.removeOverride(service: "web", kind: .pause)
        #expect(try store.activeOverrides(now: t0).isEmpty)
    }

    @Test func deployAndTaskHistoryHaveBoundedRetention() throws {
        let store = try StateStore.inMemory()
        for index in 0..<10 {
            try store.recordDeploy(DeployHistoryEntry(service: "web", deployID: "d\(index)", revision: "sha\(index)",
                                                      startedAt: t0.addingTimeInterval(Double(index)), outcome: .inProgress))
            try store.recordTask(TaskHistoryEntry(taskID: "t\(index)", slot: SlotID(service: "web", instance: index % 3), deployID: "d\(index)",
                                                  agentID: "a", state: .running, launchedAt: t0.addingTimeInterval(Double(index))))
        }
        try store.recordDeploy(DeployHistoryEntry(service: "web", deployID: "d9", revision: "sha9", startedAt: t0.addingTimeInterval(9),
                                                  endedAt: t0.addingTimeInterval(100), outcome: .failed, reason: "not healthy after 120s"))
        try store.recordTask(TaskHistoryEntry(taskID: "t9", slot: SlotID(service: "web", instance: 0), deployID: "d9", agentID: "a",
                                              state: .killed, killReason: .deployFailed, launchedAt: t0.addingTimeInterval(9), endedAt: t0.addingTimeInterval(100)))
        try store.recordDeploy(DeployHistoryEntry(service: "api", deployID: "x", revision: nil, startedAt: t0, outcome: .succeeded))
        let latest = try store.deployHistory(service: "web", limit: 1)
        #expect(latest.first?.outcome == .failed)
        #expect(latest.first?.reason == "not healthy after 120s")
        #expect(try store.taskHistory(service: "web", limit: 1).first?.killReason == .deployFailed)
        try store.enforceRetention(deploysPerService: 3, tasksPerService: 4)
        #expect(try store.deployHistory(service: "web").map(\.deployID) == ["d9", "d8", "d7"])
        #expect(try store.taskHistory(service: "web").map(\.taskID) == ["t9", "t8", "t7", "t6"])
        #expect(try store.deployHistory(service: "api").count == 1, "other services keep theirs")
    }
}
