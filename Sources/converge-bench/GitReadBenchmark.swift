import ArgumentParser
import Foundation
import GitSource

/// Reads every file of a commit of N small manifests through GitSource: the per-revision cost the
/// planner pays. `swift run -c release converge-bench git-read [--files 10000]`.
struct GitReadBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git-read",
        abstract: "Time listing and reading a commit of many small files with GitSource."
    )

    @Option(help: "Number of manifest files in the generated commit.")
    var files = 10_000

    @Option(help: "Reuse (or create) the generated repository in this folder instead of a temporary one.")
    var repository: String?

    @Option(help: "Timed repetitions of each step (the best and the median are reported).")
    var iterations = 7

    func run() throws {
        let root = repository ?? NSTemporaryDirectory() + "converge-bench-git-" + UUID().uuidString.lowercased()
        defer { if repository == nil { try? FileManager.default.removeItem(atPath: root) } }
        let work = root + "/work"
        try? FileManager.default.removeItem(atPath: root + "/cache")
        if !FileManager.default.fileExists(atPath: work + "/.git") {
            let generate = ContinuousClock.now
            try generateRepository(at: work)
            print("generated \(files) files in \(format(ContinuousClock.now - generate)) (git add + commit)")
        }

        try measure(label: "before git gc (loose objects when freshly generated)", work: work)
        try git(["gc", "-q", "--aggressive"], in: work)
        try measure(label: "packed (as in a cache clone)", work: work)

        let cache = URL(fileURLWithPath: root + "/cache")
        let clone = ContinuousClock.now
        _ = try GitRepository.cloneOrFetchBlocking(remote: RemoteSpec(url: "file://" + work), cache: cache)
        print("clone file:// into cache: \(format(ContinuousClock.now - clone))")
        let fetch = ContinuousClock.now
        _ = try GitRepository.cloneOrFetchBlocking(remote: RemoteSpec(url: "file://" + work), cache: cache)
        print("fetch with no changes:    \(format(ContinuousClock.now - fetch))")

        let directory = try time { _ = try DirectorySource.entries(root: work, extensions: ["yaml", "yml"]) }
        print("DirectorySource.entries (hashing \(files) files): \(directory)")
        let load = try time { _ = try DirectorySource.load(root: work, extensions: ["yaml", "yml"]) }
        print("DirectorySource.load (list + read \(files) files once): \(load)")
    }

    private func measure(label: String, work: String) throws {
        print("-- \(label)")
        let open = try time { _ = try GitRepository.open(path: work) }
        let repo = try GitRepository.open(path: work)
        let commit = try repo.resolve("main")
        let resolve = try time { _ = try repo.resolve("main") }
        var entries: [TreeEntry] = []
        let list = try time { entries = try repo.entries(at: commit, extensions: ["yaml", "yml"]) }
        let ids = entries.compactMap(\.blob)
        guard ids.count == files else { throw ValidationError("expected \(files) entries, got \(ids.count)") }
        var bytes = 0
        let oneByOne = try time {
            bytes = 0
            for id in ids { bytes += try repo.blob(id).count }
        }
        let byEntry = try time {
            for entry in entries { _ = try repo.read(entry) }
        }
        let batch = try time {
            let results = repo.blobs(ids)
            guard results.count == ids.count else { throw ValidationError("batch read lost blobs") }
        }
        let revision = try time {
            let revision = try repo.revision("main", extensions: ["yaml", "yml"])
            for entry in revision.entries { _ = try repo.read(entry) }
        }
        print("open \(open); resolve \(resolve)")
        print("entries (\(ids.count) files): \(list)")
        print("blob() x \(ids.count) (\(bytes) bytes): \(oneByOne)")
        print("read(entry) x \(ids.count): \(byEntry)")
        print("blobs() batch: \(batch)")
        print("revision + read every blob: \(revision)")
    }

    /// Runs `body` `iterations` times; "best X, median Y".
    private func time(_ body: () throws -> Void) throws -> String {
        var samples: [Duration] = []
        for _ in 0..<iterations {
            let start = ContinuousClock.now
            try body()
            samples.append(ContinuousClock.now - start)
        }
        samples.sort()
        return "best \(format(samples[0])), median \(format(samples[samples.count / 2]))"
    }

    private func format(_ duration: Duration) -> String {
        let c = duration.components
        let ms = Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15
        return ms < 10 ? String(format: "%.2f ms", ms) : String(format: "%.1f ms", ms)
    }

    private func generateRepository(at work: String) throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: work)
        let kinds = ["Service", "Worker", "Scheduled", "OnDemand", "RunOnce"]
        for i in 0..<files {
            let folder = work + "/teams/team-\(i % 50)/\(kinds[i % kinds.count].lowercased())"
            if i < 250 { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            let text = """
            apiVersion: converge/v1
            kind: \(kinds[i % kinds.count])
            metadata:
              name: app-\(i)
              owners: [team-\(i % 50)]
            spec:
              instances: \(1 + i % 5)
              command: python3 -m http.server $PORT0
              env: {LOG_LEVEL: info, SHARD: "\(i)"}
              resources: {cpus: 0.1, memoryMb: 64, ports: 1}

            """
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/app-\(i).yaml"))
        }
        try git(["add", "-A"], in: work)
        try git(["-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "manifests"], in: work)
    }

    private func git(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("git \(arguments.joined(separator: " ")) failed") }
    }
}
