import ArgumentParser
import Foundation

/// A real git repository in a temp folder for the controller benchmarks, written with the `git` command line.
struct BenchRepository {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("controller-bench-repo-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"])
    }

    var path: String { root.path }

    func write(_ relative: String, _ text: String) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Commits everything in the working tree; returns the new commit's sha.
    @discardableResult
    func commit(_ message: String) throws -> String {
        try git(["add", "-A"])
        try git(["-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "--allow-empty", "-m", message])
        return try git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    @discardableResult
    private func git(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw ValidationError("git \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(text)")
        }
        return text
    }
}

/// Manifests the controller benchmarks commit.
enum BenchManifests {
    /// A Service serving /health with python's http.server on its first port, gated on an HTTP check. The
    /// interpreter is called by its path: a pyenv shim on PATH would run bash first (about twice the start cost)
    /// (a real process per instance on a real dev cluster; healthy at once on virtual agents).
    static func httpService(_ name: String, instances: Int) -> String {
        """
        apiVersion: converge/v1
        kind: Service
        metadata: {name: \(name)}
        spec:
          instances: \(instances)
          command: >-
            mkdir -p www && echo ok > www/health &&
            exec /usr/bin/python3 -m http.server --bind 127.0.0.1 --directory www "$PORT0"
          resources: {cpus: 0.1, memoryMb: 64, ports: 1}
          healthCheck:
            http: {path: /health, port: 0}
            intervalSeconds: 1
            timeoutSeconds: 1
            gracePeriodSeconds: 30
            consecutiveFailures: 3
          deploy: {stepSize: 1, healthyDeadlineSeconds: 120, killGraceSeconds: 1}

        """
    }

    /// A Worker that only sleeps: healthy once it has run for the core's settle time (no check).
    static func sleepWorker(_ name: String, instances: Int) -> String {
        """
        apiVersion: converge/v1
        kind: Worker
        metadata: {name: \(name)}
        spec:
          instances: \(instances)
          command: "exec sleep 600"
          resources: {cpus: 0.1, memoryMb: 32}
          deploy: {stepSize: 1, healthyDeadlineSeconds: 120, killGraceSeconds: 1}

        """
    }
}
