import Foundation
import Testing

/// `converge dev --executor`: the examples run under the real converge-executor on the dev cluster.
@Suite("converge dev --executor", .serialized)
struct ControllerExecutorRunTests {
    static var executor: URL { ConvergeBinary.url.deletingLastPathComponent().appendingPathComponent("converge-executor") }

    @Test("converge dev --executor brings the examples up with every non-container task under the executor")
    func devOnExamplesWithTheExecutor() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executor.path), "converge-executor is not built")
        let state = try TempDir()
        let work = try TempDir()
        // A wrapper that records each executor start, then becomes the real executor.
        let marker = work.url.appendingPathComponent("started").path
        let wrapper = work.url.appendingPathComponent("converge-executor-wrapper")
        try """
            #!/bin/sh
            echo "$MESOS_EXECUTOR_ID $MESOS_AGENT_ENDPOINT" >> '\(marker)'
            exec '\(Self.executor.path)' "$@"
            """.write(to: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        let result = try ConvergeBinary.run(
            ["dev", "--repo", ControllerRunTests.examples.path, "--listen", "127.0.0.1:0", "--state-dir", state.path,
             "--executor", wrapper.path, "--exit-when-converged", "--timeout", "150s"], deadline: 200)
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr.suffix(3000))")
        #expect(result.stdout.contains("web (Service): 2/2 healthy"))
        #expect(result.stdout.contains("payments-migrate (RunOnce): ran once: succeeded"))
        #expect(result.stdout.contains("converged: tree-"))
        let started = (try? String(contentsOfFile: marker, encoding: .utf8))?.split(separator: "\n") ?? []
        // One executor per task, converge-<task id>, reaching its agent's own endpoint.
        #expect(started.count >= 3, "executors started: \(started)")
        #expect(started.allSatisfy { $0.hasPrefix("converge-") && $0.contains(" 127.0.0.") })
        #expect(started.contains { $0.hasPrefix("converge-web.") })
    }

    @Test("converge apply --executor fetches the executor from a file URI and converges under it")
    func applyWithAFetchedExecutor() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executor.path), "converge-executor is not built")
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
              resources: {cpus: 0.1, memoryMb: 64}
              deploy: {healthyDeadlineSeconds: 30, killGraceSeconds: 1}
            """)
        try repo.commit("sleeper")
        let result = try ConvergeBinary.run(
            ["apply", "--repo", repo.path, "--branch", "main", "--master", cluster.masterURL, "--state-dir", state.path,
             "--executor", "file://\(Self.executor.path)", "--timeout", "90s"], deadline: 120)
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr.suffix(3000))")
        #expect(result.stdout.contains("sleeper 2/2 healthy"))
        // The tasks run under CUSTOM executors fetched into their sandboxes as ./converge-executor.
        let state2 = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(string: "\(cluster.masterURL)/master/state")!)) as? [String: Any]
        let tasks = ((state2?["frameworks"] as? [[String: Any]])?.first?["tasks"] as? [[String: Any]]) ?? []
        #expect(tasks.count == 2)
        #expect(tasks.allSatisfy { ($0["executor_id"] as? String)?.hasPrefix("converge-sleeper.") == true })
    }

    @Test("--executor must be an absolute path or an http, https or file URI")
    func badExecutorLocations() throws {
        let result = try ConvergeBinary.run(["apply", "--master", "http://127.0.0.1:1", "--executor", "ftp://host/x",
                                             "--repo", ControllerRunTests.examples.path], deadline: 30)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--executor: 'ftp://host/x' is neither an absolute path nor an http, https or file URI"),
                "\(result.stderr)")
        let missing = try ConvergeBinary.run(["dev", "--executor", "/no/such/converge-executor"], deadline: 30)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("--executor: no executable file at '/no/such/converge-executor'"), "\(missing.stderr)")
    }
}
