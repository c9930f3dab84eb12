import Foundation
import Testing

/// Runs the built `converge` executable (next to the test bundle in .build/<config>/) with a deadline.
struct ConvergeBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let url: URL = {
        var candidates: [URL] = []
        // On Linux the tests run inside .build/<config>/<Package>PackageTests.xctest (an executable).
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(argv0.deletingLastPathComponent().appendingPathComponent("converge"))
        // On macOS the bundle is a folder: .build/<config>/X.xctest/Contents/MacOS/X.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("converge"))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("converge"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// Runs `converge args...` in `directory`, killing it after `deadline` seconds.
    static func run(
        _ args: [String], in directory: URL? = nil, environment extra: [String: String] = [:],
        deadline: TimeInterval = 120
    ) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw HarnessError("the converge binary is not built at \(url.path); run swift build --build-tests")
        }
        return try ProcessRunner.run(url, args, in: directory, environment: extra, deadline: deadline)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a process with its output captured in temp files (no pipe to fill up) and a deadline.
enum ProcessRunner {
    static func run(
        _ executable: URL, _ args: [String], in directory: URL? = nil,
        environment extra: [String: String] = [:], deadline: TimeInterval = 120
    ) throws -> ConvergeBinary.Result {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("converge-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = args
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        // A config folder of its own: no `converge dev` credentials of the user's are found or written.
        env["XDG_CONFIG_HOME"] = scratch.appendingPathComponent("config").path
        for (key, value) in extra { env[key] = value }
        process.environment = env
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let end = Date().addingTimeInterval(deadline)
        while process.isRunning {
            if Date() > end {
                process.terminate()
                process.waitUntilExit()
                throw HarnessError("\(executable.lastPathComponent) \(args.joined(separator: " ")) did not finish within \(Int(deadline)) s")
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        return ConvergeBinary.Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}
