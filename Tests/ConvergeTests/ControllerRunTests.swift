import Foundation
import Testing

/// `converge dev` and `converge apply` as a user runs them: the built binary, real processes.
@Suite("converge dev and apply", .serialized)
struct ControllerRunTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    @Test("converge dev brings the examples up on a local dev cluster (the README's main job)")
    func devOnExamples() throws {
        let state = try TempDir()
        let result = try ConvergeBinary.run(
            ["dev", "--repo", Self.examples.path, "--listen", "127.0.0.1:0", "--state-dir", state.path,
             "--exit-when-converged", "--timeout", "150s"], deadline: 200)
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr.suffix(3000))")
        #expect(result.stdout.contains("dev cluster: master http://127.0.0.1:"))
        #expect(result.stdout.contains("6 to create"))
        #expect(result.stdout.contains("web (Service): 2/2 healthy"))
        #expect(result.stdout.contains("payments-migrate (RunOnce): ran once: succeeded"))
        #expect(result.stdout.contains("converged: tree-"))
    }

    @Test("converge apply converges a commit, then fails with the reason when a deploy cannot turn healthy")
    func applyAgainstDevCluster() throws {
        let cluster = try DevClusterProcess.start()
        defer { cluster.stop() }
        let repo = try GitFixture()
        let state = try TempDir()
        try repo.write("svc.yaml", """
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: sleeper}
            spec:
              instances: 2
              command: exec sleep 600
              resources: {cpus: 0.1, memoryMb: 32}
              deploy: {healthyDeadlineSeconds: 20, killGraceSeconds: 1}
            """)
        try repo.commit("sleeper")
        let args = ["apply", "--repo", repo.path, "--branch", "main", "--master", cluster.masterURL, "--state-dir", state.path,
                    "--timeout", "90s"]
        let good = try ConvergeBinary.run(args, deadline: 120)
        #expect(good.status == 0, "stdout:\n\(good.stdout)\nstderr:\n\(good.stderr.suffix(3000))")
        #expect(good.stdout.contains("1 to create"))
        #expect(good.stdout.contains("sleeper 2/2 healthy"))
        #expect(good.stdout.contains("converged in"))

        try repo.write("svc.yaml", """
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: sleeper}
            spec:
              instances: 2
              command: exit 3
              resources: {cpus: 0.1, memoryMb: 32}
              deploy: {healthyDeadlineSeconds: 8, killGraceSeconds: 1}
            """)
        try repo.commit("broken")
        let bad = try ConvergeBinary.run(args, deadline: 120)
        #expect(bad.status == 1, "stdout:\n\(bad.stdout)\nstderr:\n\(bad.stderr.suffix(3000))")
        #expect(bad.stdout.contains("1 to deploy"))
        #expect(bad.stderr.contains("deploy failed") && bad.stderr.contains("sleeper"), "\(bad.stderr.suffix(2000))")

        // The failed deploy left the old one running: a third apply of the good commit has nothing to deploy.
        try repo.git("revert", "--no-edit", "HEAD")
        let back = try ConvergeBinary.run(args, deadline: 120)
        #expect(back.status == 0, "stdout:\n\(back.stdout)\nstderr:\n\(back.stderr.suffix(3000))")
        #expect(back.stdout.contains("in sync"), "\(back.stdout)")
    }

    @Test("converge apply rejects an invalid revision without touching the cluster")
    func applyRejectsInvalid() throws {
        let repo = try GitFixture()
        let state = try TempDir()
        try repo.write("bad.yaml", """
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: bad}
            spec:
              instance: 2
              command: sleep 1
            """)
        try repo.commit("bad")
        // No master is needed: the revision is rejected before anything talks to Mesos.
        let result = try ConvergeBinary.run(["apply", "--repo", repo.path, "--branch", "main", "--master", "http://127.0.0.1:9",
                                             "--state-dir", state.path, "--timeout", "20s"], deadline: 60)
        #expect(result.status == 1)
        #expect(result.stderr.contains("rejected"))
        #expect(result.stderr.contains("bad.yaml:5:3: spec.instance: unknown field"), "\(result.stderr)")
    }
}

/// `converge dev-cluster` in the background, on a free port.
final class DevClusterProcess {
    let process: Process
    let masterURL: String
    let log: URL

    private init(process: Process, masterURL: String, log: URL) {
        self.process = process
        self.masterURL = masterURL
        self.log = log
    }

    static func start(agents: Int = 2) throws -> DevClusterProcess {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("dev-cluster-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = ConvergeBinary.url
        process.arguments = ["dev-cluster", "--listen", "127.0.0.1:0", "--agents", "\(agents)", "--heartbeat-interval", "1"]
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"master (http://[0-9.:]+)"#, options: .regularExpression) {
                let url = String(text[range].dropFirst("master ".count))
                return DevClusterProcess(process: process, masterURL: url, log: log)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.terminate()
        throw HarnessError("dev-cluster did not become ready: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    func stop() {
        process.terminate()
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: log)
    }
}
