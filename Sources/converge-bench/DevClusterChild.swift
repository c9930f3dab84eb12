import ArgumentParser
import Foundation

/// `converge dev-cluster` started as a child process (virtual or with real task processes), so that the
/// master's memory is measured apart from the benchmark's. `stop()` sends SIGTERM (the dev cluster then
/// kills every task it started) and SIGKILL after 10 s.
final class DevClusterChild {
    struct Settings {
        var agents: Int
        var virtual: Bool
        var cpus: Double = 4
        var mem: Double = 4096
        /// Seconds until a virtual task is RUNNING.
        var virtualStartDelay: Double = 0.05
    }

    let pid: Int32
    /// `127.0.0.1:PORT`.
    let address: String
    private let logPath: String
    private var stopped = false

    private init(pid: Int32, address: String, logPath: String) {
        self.pid = pid
        self.address = address
        self.logPath = logPath
    }

    deinit { stop() }

    static func start(executable: String, settings: Settings, readyWithin seconds: Double = 120) throws -> DevClusterChild {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("no converge executable at \(executable); build it (swift build -c release) or pass --converge")
        }
        let logPath = NSTemporaryDirectory() + "converge-core-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw ValidationError("cannot create \(logPath)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_APPEND, 0)
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_APPEND, 0)
        var argv = [executable, "dev-cluster", "--agents", String(settings.agents), "--listen", "127.0.0.1:0",
                    "--cpus", String(settings.cpus), "--mem", String(settings.mem)]
        if settings.virtual { argv += ["--virtual", "--virtual-start-delay", String(settings.virtualStartDelay)] }
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: Int32 = 0
        let status = posix_spawn(&pid, executable, &actions, nil, cArgs, environ)
        guard status == 0 else {
            unlink(logPath)
            throw ValidationError("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let line = log.split(separator: "\n").first(where: { $0.contains("dev-cluster ready") }),
               let url = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }) {
                var address = String(url.dropFirst("http://".count))
                if address.hasSuffix(",") { address.removeLast() }
                return DevClusterChild(pid: pid, address: address, logPath: logPath)
            }
            var exitStatus: Int32 = 0
            if waitpid(pid, &exitStatus, WNOHANG) == pid {
                unlink(logPath)
                throw ValidationError("dev cluster exited before it was ready: \(log)")
            }
            usleep(50_000)
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        kill(pid, SIGKILL)
        var exitStatus: Int32 = 0
        _ = waitpid(pid, &exitStatus, 0)
        unlink(logPath)
        throw ValidationError("dev cluster did not become ready within \(Int(seconds)) s: \(log)")
    }

    var memory: ProcessMemory? { stopped ? nil : ProcessMemory.read(pid: pid) }

    /// The child's output so far (for error reports).
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGTERM)
        var status: Int32 = 0
        var reaped = false
        for _ in 0..<200 {
            if waitpid(pid, &status, WNOHANG) == pid { reaped = true; break }
            usleep(50_000)
        }
        if !reaped {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
        }
        unlink(logPath)
    }

    static func siblingExecutable(_ name: String) -> String {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent(name).path
    }
}
