import ArgumentParser
import Foundation

/// `converge import singularity` of N simulated requests, as a user runs it: the release binary
/// against tests/singularity/simulator.py (one list call, then N detail calls over loopback HTTP,
/// mapping, validation, writing). Target: 500 requests in under 2 s.
struct ImportBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "converge import singularity of N simulated Singularity requests (target: 500 in < 2 s).")

    @Option(help: "Number of simulated Singularity requests.")
    var requests = 500

    @Option(help: "Repetitions; best and median are reported.")
    var runs = 5

    func run() throws {
        let me = URL(fileURLWithPath: ManifestsBenchmark.executablePath())
        let converge = me.deletingLastPathComponent().appendingPathComponent("converge").path
        guard FileManager.default.isExecutableFile(atPath: converge) else {
            throw BenchError("no converge binary next to \(me.path); run scripts/bench import")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("tests/singularity")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("converge-bench-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let log = scratch.appendingPathComponent("simulator.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let simulator = Process()
        simulator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        simulator.arguments = ["python3", folder.appendingPathComponent("simulator.py").path,
                               "--fixture", folder.appendingPathComponent("requests.json").path, "--generate", String(requests)]
        simulator.standardOutput = try FileHandle(forWritingTo: log)
        simulator.standardError = simulator.standardOutput
        try simulator.run()
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        var url: String?
        let deadline = Date().addingTimeInterval(20)
        while url == nil, Date() < deadline, simulator.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening (http://\S+)"#, options: .regularExpression) {
                url = String(text[range].dropFirst("listening ".count))
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        guard let url else { throw BenchError("the simulator did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")") }

        print("converge import singularity: \(requests) simulated requests from \(url)")
        var times: [Double] = []
        for run in 1...runs {
            let out = scratch.appendingPathComponent("out-\(run)").path
            let child = try ManifestsBenchmark.spawn(converge, ["import", "singularity", "--url", url, "--out", out])
            guard child.status == 0 else { throw BenchError("converge import exited \(child.status): \(child.stderr.prefix(500))") }
            let summary = child.stdout.split(separator: "\n").first.map(String.init) ?? ""
            let files = FileManager.default.enumerator(atPath: out)?.allObjects.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") }.count ?? 0
            times.append(child.seconds)
            print(String(format: "run %d: %.3f s, %d manifests written, peak RSS %.1f MB  (%@)", run, child.seconds, files,
                         Double(child.maxRSSBytes) / 1_048_576, summary))
        }
        let sorted = times.sorted()
        let best = sorted[0], median = sorted[sorted.count / 2]
        print(String(format: "best %.3f s, median %.3f s (target < 2 s): %@", best, median, median < 2 ? "PASS" : "FAIL"))
    }
}
