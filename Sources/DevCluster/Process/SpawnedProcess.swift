#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What to start: an executable with argv and environment, in a working directory, with
/// stdout/stderr appended to files. The child runs in its own process group (pgid == pid).
struct SpawnRequest: Sendable {
    var executable: String
    var arguments: [String]          // argv, including argv[0]
    var environment: [String: String]
    var workingDirectory: String
    var stdoutPath: String
    var stderrPath: String
}

enum SpawnError: Error, CustomStringConvertible {
    case failed(executable: String, errno: Int32)
    var description: String {
        switch self {
        case let .failed(executable, code):
            return "cannot start '\(executable)': \(String(cString: strerror(code)))"
        }
    }
}

/// Starts processes with posix_spawn in a new process group (POSIX_SPAWN_SETPGROUP), default
/// signal dispositions and an empty signal mask, so a group kill reaches the task and every child.
enum ProcessSpawner {
    static func spawn(_ request: SpawnRequest) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        let flags = Int32(POSIX_SPAWN_SETPGROUP) | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, request.stdoutPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, request.stderrPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let closeFrom = GNUSpawnExtensions.addCloseFrom { _ = closeFrom(&actions, 3) }
        guard let addChdir = GNUSpawnExtensions.addChdir else {
            throw SpawnError.failed(executable: request.executable, errno: ENOSYS)
        }
        let chdirStatus = addChdir(&actions, request.workingDirectory)
        if chdirStatus != 0 { throw SpawnError.failed(executable: request.executable, errno: chdirStatus) }

        let argv = request.arguments.map { strdup($0) } + [nil]
        let envp = request.environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status: Int32
        if request.executable.contains("/") {
            status = posix_spawn(&pid, request.executable, &actions, &attributes, argv, envp)
        } else {
            // Search PATH of the task's environment, as execvp does.
            status = withPATH(request.environment["PATH"]) {
                posix_spawnp(&pid, request.executable, &actions, &attributes, argv, envp)
            }
        }
        if status != 0 { throw SpawnError.failed(executable: request.executable, errno: status) }
        return pid
    }

    /// posix_spawnp searches the parent's PATH; make it the task's for the call.
    private static let pathLock = NSLock()
    private static func withPATH(_ path: String?, _ body: () -> Int32) -> Int32 {
        guard let path else { return body() }
        pathLock.lock()
        defer { pathLock.unlock() }
        let old = getenv("PATH").map { String(cString: $0) }
        setenv("PATH", path, 1)
        defer { if let old { setenv("PATH", old, 1) } else { unsetenv("PATH") } }
        return body()
    }
}

/// glibc's posix_spawn extensions (2.29+, 2.34+) are hidden behind _GNU_SOURCE in Swift's Glibc
/// module; look them up at run time.
enum GNUSpawnExtensions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(pointer, to: T.self)
    }
}

/// How a process ended.
enum ProcessExit: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)

    var succeeded: Bool { self == .exited(0) }

    var message: String {
        switch self {
        case let .exited(code): return "Command exited with status \(code)"
        case let .signaled(signal): return "Command terminated with signal \(String(cString: strsignal(signal)))"
        }
    }
}

enum ProcessControl {
    /// Non-blocking reap: nil while the process still runs.
    static func reap(_ pid: pid_t) -> ProcessExit? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return nil }
        if result < 0 { return errno == ECHILD ? .exited(-1) : nil }
        let low = status & 0x7f
        if low == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(low)
    }

    /// Signals a whole process group; false when the group no longer exists.
    @discardableResult
    static func signalGroup(_ pgid: pid_t, _ signal: Int32) -> Bool {
        kill(-pgid, signal) == 0
    }

    /// True while any process of the group exists (zombies included until reaped).
    static func groupExists(_ pgid: pid_t) -> Bool {
        kill(-pgid, 0) == 0 || errno == EPERM
    }
}
