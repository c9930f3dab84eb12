import Foundation
import Testing
@testable import Manifests

/// The examples/ repository validates cleanly, and its commands really run with sh and python3.
@Suite struct ExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    static func loadExamples() throws -> ManifestSet {
        var files: [ManifestFile] = []
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        for case let url as URL in enumerator {
            let path = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            guard ManifestFile.isManifestPath(path) else { continue }
            files.append(ManifestFile(path: path, contents: Array(try Data(contentsOf: url))))
        }
        return loadManifests(files)
    }

    @Test func examplesValidateWithZeroErrors() throws {
        let set = try Self.loadExamples()
        #expect(set.errors.map(\.description) == [])
        #expect(Set(set.workloads.values.map(\.kind)) == Set(WorkloadKind.allCases))
        #expect(set.maintenance.map(\.name) == ["hardware-refresh"])
        let api = try #require(set.workloads["payments-api"])
        #expect(api.spec.env["SERVICE_GROUP"] == "payments")
        #expect(api.spec.env["ENVIRONMENT"] == "demo")
        #expect(api.spec.resources.memoryMb == 96)
        #expect(api.spec.healthCheck?.probe == .http(path: "/health", port: 0))
        #expect(set.workloads["nightly-reconcile"]?.spec.retries == 2)
        #expect(set.workloads["refund-replay"]?.spec.retries == 0)
        #expect(set.workloads["web"]?.spec.resources.memoryMb == 64)
    }

    @Test func jobCommandsRunToCompletion() throws {
        let set = try Self.loadExamples()
        let database = try #require(set.workloads["payments-migrate"]?.spec.env["DATABASE_PATH"])
        defer { try? FileManager.default.removeItem(atPath: database) }
        for name in ["payments-migrate", "nightly-reconcile", "refund-replay"] {
            let workload = try #require(set.workloads[name])
            let result = try TaskRun.start(workload, extraEnv: [:])
            #expect(result.waitForExit(deadline: .seconds(60)) == 0, "\(name)")
        }
    }

    @Test(arguments: ["web", "payments-api"])
    func serviceAnswersItsHealthCheck(name: String) throws {
        let set = try Self.loadExamples()
        let workload = try #require(set.workloads[name])
        guard case .http(let path, let index)? = workload.spec.healthCheck?.probe else {
            Issue.record("\(name) has no HTTP health check")
            return
        }
        #expect(index == 0)
        let port = try TaskRun.freePort()
        let service = try TaskRun.start(workload, extraEnv: ["PORT0": String(port)])
        defer { service.stop() }
        let probe = """
            import sys, time, urllib.request
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    with urllib.request.urlopen("http://127.0.0.1:\(port)\(path)", timeout=2) as r:
                        sys.exit(0 if r.status == 200 else 1)
                except OSError:
                    time.sleep(0.2)
            sys.exit(1)
            """
        let checker = try TaskRun.run(["python3", "-c", probe], in: service.directory)
        #expect(checker.waitForExit(deadline: .seconds(90)) == 0)
    }
}

/// A workload's command run as a local process in a temporary sandbox folder.
final class TaskRun {
    let process: Process
    let directory: URL

    private init(process: Process, directory: URL) {
        self.process = process
        self.directory = directory
    }

    static func start(_ workload: Workload, extraEnv: [String: String]) throws -> TaskRun {
        let argv: [String]
        switch try #require(workload.spec.command) {
        case .shell(let text): argv = ["/bin/sh", "-c", text]
        case .argv(let list): argv = list
        }
        let env = workload.spec.env.merging(extraEnv) { $1 }
        return try run(argv, env: env, in: nil)
    }

    static func run(_ argv: [String], env: [String: String] = [:], in directory: URL?) throws -> TaskRun {
        let sandbox = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("converge-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: sandbox, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = argv
        process.currentDirectoryURL = sandbox
        process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return TaskRun(process: process, directory: sandbox)
    }

    static func freePort() throws -> Int {
        let run = try run(["python3", "-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); open('port', 'w').write(str(s.getsockname()[1]))"], in: nil)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        guard run.waitForExit(deadline: .seconds(30)) == 0 else { throw CocoaError(.fileReadUnknown) }
        return Int(try String(contentsOf: run.directory.appendingPathComponent("port"), encoding: .utf8))!
    }

    /// Exit status, or nil if the process was still running at the deadline (it is then killed).
    func waitForExit(deadline: Duration) -> Int32? {
        let end = ContinuousClock.now + deadline
        while process.isRunning && ContinuousClock.now < end { usleep(20_000) }
        if process.isRunning {
            stop()
            return nil
        }
        return process.terminationStatus
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            let end = ContinuousClock.now + .seconds(5)
            while process.isRunning && ContinuousClock.now < end { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if directory.lastPathComponent.hasPrefix("converge-example-") {
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
