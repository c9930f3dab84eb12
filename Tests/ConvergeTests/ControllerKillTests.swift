import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `converge run` killed with SIGKILL in the middle of a rolling deploy, then started again.
@Suite("converge run killed mid-deploy", .serialized)
struct ControllerKillTests {
    @Test("the restarted controller launches no duplicate and converges to the new commit")
    func killedMidDeploy() async throws {
        let cluster = try DevClusterProcess.start(agents: 2)
        defer { cluster.stop() }
        let repo = try GitFixture()
        let state = try TempDir()
        func manifest(_ version: Int) -> String {
            """
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: sleeper}
            spec:
              instances: 3
              command: "echo v\(version); exec sleep 600"
              resources: {cpus: 0.1, memoryMb: 32}
              deploy: {stepSize: 1, stepWaitSeconds: 2, healthyDeadlineSeconds: 120, killGraceSeconds: 1}
            """
        }
        try repo.write("sleeper.yaml", manifest(1))
        try repo.commit("v1")
        let args = ["run", "--repo", repo.path, "--branch", "main", "--master", cluster.masterURL, "--state-dir", state.path,
                    "--poll-interval", "1s", "--listen", "127.0.0.1:0"]

        let first = try ControllerProcess.start(args)
        #expect(await first.eventually { try await first.service("sleeper")?.synced == true }, "v1 never synced: \(first.log)")
        let v1Deploys = Set(try await MasterTasks.live(cluster.masterURL).map(MasterTasks.deploy))
        #expect(v1Deploys.count == 1)
        try repo.write("sleeper.yaml", manifest(2))
        let v2 = try repo.commit("v2")
        // Kill it hard once the rolling deploy is under way (a task of the new deploy is live).
        let underWay = await first.eventually {
            try await MasterTasks.live(cluster.masterURL).contains { !v1Deploys.contains(MasterTasks.deploy($0)) }
        }
        #expect(underWay, "the v2 deploy never started: \(first.log)")
        first.kill()
        let atKill = try await MasterTasks.live(cluster.masterURL)

        let second = try ControllerProcess.start(args)
        defer { second.stop() }
        var mostLive = 0
        let converged = await second.eventually(timeout: 120) {
            let live = try await MasterTasks.live(cluster.masterURL)
            mostLive = max(mostLive, live.count)
            guard let service = try await second.service("sleeper") else { return false }
            return service.synced && service.revision == v2 && live.count == 3
        }
        #expect(converged, "not converged after the restart: \(second.log)")
        // A rolling deploy with stepSize 1 runs at most 3 + 1 tasks; a duplicate launch would show more.
        #expect(mostLive <= 4, "\(mostLive) live tasks after the restart (at the kill: \(atKill.count))")
        let final = try await MasterTasks.live(cluster.masterURL)
        #expect(Set(final.map { $0.split(separator: ".")[2] }).count == 3, "two tasks share an instance slot: \(final)")
    }
}

/// `converge run` as a child process with its API on a free port.
final class ControllerProcess: @unchecked Sendable {
    // @unchecked: the process and the log path are set once; reads of the log go through the file system.
    let process: Process
    let logURL: URL
    let baseURL: String

    var log: String { ((try? String(contentsOf: logURL, encoding: .utf8)) ?? "").suffix(4000).description }

    private init(process: Process, logURL: URL, baseURL: String) {
        self.process = process
        self.logURL = logURL
        self.baseURL = baseURL
    }

    static func start(_ args: [String]) throws -> ControllerProcess {
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("converge-run-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logURL)
        let process = Process()
        process.executableURL = ConvergeBinary.url
        process.arguments = args
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"address=127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                return ControllerProcess(process: process, logURL: logURL, baseURL: "http://" + text[range].dropFirst("address=".count))
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.terminate()
        throw HarnessError("converge run did not start its API: \((try? String(contentsOf: logURL, encoding: .utf8)) ?? "")")
    }

    struct Service {
        var synced: Bool
        var revision: String?
    }

    /// The service as `GET /api/v1/services/NAME` shows it, with the controller's applied revision.
    func service(_ name: String) async throws -> Service? {
        let (data, response) = try await URLSession.shared.data(from: URL(string: baseURL + "/api/v1/services/" + name)!)
        guard (response as? HTTPURLResponse)?.statusCode == 200,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let (statusData, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/api/v1/status")!)
        let status = try JSONSerialization.jsonObject(with: statusData) as? [String: Any]
        let health = object["health"] as? String
        return Service(synced: object["sync"] as? String == "Synced" && health == "Healthy",
                       revision: status?["revision"] as? String)
    }

    func eventually(timeout: Double = 60, _ condition: () async throws -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? await condition()) == true { return true }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(15)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: logURL)
    }
}

/// Live task ids on a master (`/master/state`): STAGING, STARTING or RUNNING.
enum MasterTasks {
    static func live(_ master: String) async throws -> [String] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: master + "/master/state")!)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let frameworks = object?["frameworks"] as? [[String: Any]] ?? []
        return frameworks.flatMap { $0["tasks"] as? [[String: Any]] ?? [] }
            .filter { ["TASK_STAGING", "TASK_STARTING", "TASK_RUNNING"].contains($0["state"] as? String ?? "") }
            .compactMap { $0["id"] as? String }
    }

    /// The deploy id in a task id (`<service>.<deploy>.<instance>.<token>`).
    static func deploy(_ taskID: String) -> String {
        String(taskID.split(separator: ".")[1])
    }
}
