import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension ManifestsBenchmark {
    /// A finished child process: exit status, wall time, peak resident memory, captured stdout.
    struct ChildRun {
        var status: Int32
        var seconds: Double
        var maxRSSBytes: Int
        var stdout: String
        var stderr: String
    }

    /// Spawns `executable args` with stdout and stderr in temp files, waits with `wait4` to get the
    /// child's own resource usage (ru_maxrss is its peak RSS).
    static func spawn(_ executable: String, _ args: [String]) throws -> ChildRun {
        let scratch = NSTemporaryDirectory() + "converge-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/stdout", errPath = scratch + "/stderr"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + args).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let code = posix_spawnp(&pid, executable, &actions, nil, argv, environ)
        guard code == 0 else {
            throw BenchError("cannot start \(executable): \(String(cString: strerror(code)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ChildRun(
            status: exit, seconds: seconds, maxRSSBytes: Int(usage.ru_maxrss) * 1024,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Runs `git args` in `directory`; throws with git's message on failure.
    @discardableResult
    static func git(_ args: [String], in directory: String) throws -> String {
        let run = try spawn("git", ["-C", directory, "-c", "user.name=bench", "-c", "user.email=bench@example.com",
                                    "-c", "commit.gpgsign=false"] + args)
        guard run.status == 0 else { throw BenchError("git \(args.joined(separator: " ")) failed: \(run.stderr)") }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
