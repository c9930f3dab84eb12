import Foundation
import Testing
@testable import DevCluster

/// The dev master driven by pymesos, a Mesos client nobody on this project wrote.
@Suite struct PymesosTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func pymesosSubscribesLaunchesAcknowledgesAndKills() async throws {
        let site = Self.packageRoot + "/.python-deps/site"
        try #require(FileManager.default.fileExists(atPath: site + "/pymesos"),
                     "pymesos is not installed: run scripts/python-deps (scripts/setup does)")
        try await withCluster(agents: 1, portBase: 43000) { cluster in
            let output = Self.packageRoot + "/.python-deps/scenario-\(UUID().uuidString.prefix(8)).log"
            defer { try? FileManager.default.removeItem(atPath: output) }
            var environment = ProcessInfo.processInfo.environment
            environment["PYTHONPATH"] = site
            environment["PYTHONUNBUFFERED"] = "1"
            let script = Self.packageRoot + "/tests/pymesos/scenario.py"
            let pid = try ProcessSpawner.spawn(SpawnRequest(
                executable: "python3", arguments: ["python3", script, cluster.address, "60"], environment: environment,
                workingDirectory: Self.packageRoot, stdoutPath: output, stderrPath: output))
            let exit = try await offload { () -> ProcessExit in
                let deadline = Date().addingTimeInterval(90)
                while Date() < deadline {
                    if let exit = ProcessControl.reap(pid) { return exit }
                    usleep(20_000)
                }
                ProcessControl.signalGroup(pid, SIGKILL)
                while ProcessControl.reap(pid) == nil { usleep(10_000) }
                return .signaled(SIGKILL)
            }
            let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            #expect(exit == .exited(0), "pymesos scenario failed:\n\(log)")
            let summaryLine = log.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? "{}"
            let summary = try #require(JSONSerialization.jsonObject(with: Data(summaryLine.utf8)) as? [String: Any])
            let frameworkID = try #require(summary["framework_id"] as? String)

            // The master saw the same story, and pymesos' acknowledgements landed.
            let tasks = try await RawHTTP.send(port: cluster.port, "GET", "/master/tasks?framework_id=\(frameworkID)").json()
            let states = Dictionary(uniqueKeysWithValues: ((tasks["tasks"] as? [[String: Any]]) ?? []).map {
                ($0["id"] as? String ?? "", $0["state"] as? String ?? "") })
            #expect(states[summary["finished"] as? String ?? ""] == "TASK_FINISHED")
            #expect(states[summary["killed"] as? String ?? ""] == "TASK_KILLED")
        }
    }
}
