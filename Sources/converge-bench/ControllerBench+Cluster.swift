import ArgumentParser
import Foundation

/// `converge dev-cluster` as a child process, so the benchmark process holds only the controller and
/// its scheduler core: its memory is the controller's alone. SIGTERM stops it and kills its tasks.
struct ChildDevCluster {
    let pid: Int32
    let masterURL: String
    let log: String

    static func start(executable: String, arguments: [String]) throws -> ChildDevCluster {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("no converge executable at \(executable); build it (swift build -c release) or pass --converge")
        }
        let log = NSTemporaryDirectory() + "controller-bench-cluster-\(getpid())-\(UUID().uuidString.prefix(8)).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_APPEND, 0)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_APPEND, 0)
        let argv = [executable, "dev-cluster", "--listen", "127.0.0.1:0"] + arguments
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: Int32 = 0
        let status = posix_spawn(&pid, executable, &actions, nil, cArgs, environ)
        guard status == 0 else { throw ValidationError("cannot start \(executable): \(String(cString: strerror(status)))") }
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("dev-cluster ready") }),
               var url = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }).map(String.init) {
                if url.hasSuffix(",") { url.removeLast() }
                return ChildDevCluster(pid: pid, masterURL: url, log: log)
            }
            var exitStatus: Int32 = 0
            if waitpid(pid, &exitStatus, WNOHANG) == pid {
                throw ValidationError("dev cluster exited before it was ready: \(text)")
            }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        var exitStatus: Int32 = 0
        waitpid(pid, &exitStatus, 0)
        throw ValidationError("dev cluster did not become ready within 120 s: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    /// SIGTERM (the cluster kills its tasks), SIGKILL after 30 s; reaps the child and removes its log.
    func stop() {
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(30)
        var exitStatus: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &exitStatus, WNOHANG) == pid {
                try? FileManager.default.removeItem(atPath: log)
                return
            }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &exitStatus, 0)
        try? FileManager.default.removeItem(atPath: log)
    }

    var memory: ControllerBenchMemory { ControllerBenchMemory.read(pid: pid) }
}

/// VmRSS and VmHWM (peak resident) of a process, from /proc/PID/status, in MB (10^6 bytes).
struct ControllerBenchMemory {
    var rssMB: Double
    var peakMB: Double

    static func read(pid: Int32? = nil) -> ControllerBenchMemory {
        let path = pid.map { "/proc/\($0)/status" } ?? "/proc/self/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { return ControllerBenchMemory(rssMB: -1, peakMB: -1) }
        func field(_ name: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
                  let kB = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return -1 }
            return kB * 1024 / 1_000_000
        }
        return ControllerBenchMemory(rssMB: field("VmRSS"), peakMB: field("VmHWM"))
    }

    var description: String { String(format: "RSS %.1f MB, peak (VmHWM) %.1f MB", rssMB, peakMB) }
}

/// Small shared pieces of the controller benchmarks.
enum ControllerBench {
    /// The load average, as /proc/loadavg shows it (1, 5, 15 minutes).
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// glibc's `malloc_trim(0)` (not in the Glibc module's headers), looked up at run time.
    static func mallocTrim() {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
    }

    /// `mallopt(M_ARENA_MAX, 2)`, as `converge run` sets it.
    static func limitArenas() {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)(-8, 2)
    }

    /// The `converge` executable next to this benchmark's.
    static func sibling(_ name: String) -> String {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent(name).path
    }
}
