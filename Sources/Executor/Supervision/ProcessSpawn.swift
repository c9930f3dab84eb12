#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Starts a command with posix_spawn in a new process group (pgid == pid), default signal dispositions and an
/// empty signal mask, stdin from /dev/null and stdout/stderr onto the given descriptors (pipes or files).
enum ProcessSpawn {
    struct Failed: Error, CustomStringConvertible {
        var executable: String
        var code: Int32
        var description: String { "cannot start '\(executable)': \(String(cString: strerror(code)))" }
    }

    static func spawn(executable: String, arguments: [String], environment: [String: String],
                      workingDirectory: String, stdout: Int32, stderr: Int32) throws(Failed) -> pid_t {
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
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        if let closeFrom = SpawnExtensions.addCloseFrom { _ = closeFrom(&actions, 3) }
        guard let addChdir = SpawnExtensions.addChdir else { throw Failed(executable: executable, code: ENOSYS) }
        let chdirStatus = addChdir(&actions, workingDirectory)
        if chdirStatus != 0 { throw Failed(executable: executable, code: chdirStatus) }

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let path = executable.contains("/") ? executable : resolve(executable, path: environment["PATH"])
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        if status != 0 { throw Failed(executable: executable, code: status) }
        return pid
    }

    /// Finds a bare command name on the task's PATH (as execvp would), so the executor's own PATH is left alone.
    static func resolve(_ name: String, path: String?) -> String {
        let search = path ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        for folder in search.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return name
    }
}

/// glibc's posix_spawn extensions (2.29+, 2.34+) are hidden behind _GNU_SOURCE in Swift's Glibc module.
enum SpawnExtensions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    private static func symbol<T>(_ name: String) -> T? {
        guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(pointer, to: T.self)
    }
}

/// How a process ended, from its wait status.
enum ProcessExit: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)

    init(waitStatus status: Int32) {
        let low = status & 0x7f
        self = low == 0 ? .exited((status >> 8) & 0xff) : .signaled(low)
    }

    var succeeded: Bool { self == .exited(0) }

    /// As Mesos' command executor words it.
    var message: String {
        switch self {
        case .exited(let code): return "Command exited with status \(code)"
        case .signaled(let signal): return "Command terminated with signal \(SignalName.of(signal))"
        }
    }
}

enum SignalName {
    static func of(_ signal: Int32) -> String {
        switch signal {
        case SIGTERM: return "SIGTERM"
        case SIGKILL: return "SIGKILL"
        case SIGINT: return "SIGINT"
        case SIGHUP: return "SIGHUP"
        case SIGQUIT: return "SIGQUIT"
        case SIGSEGV: return "SIGSEGV"
        case SIGABRT: return "SIGABRT"
        case SIGBUS: return "SIGBUS"
        case SIGPIPE: return "SIGPIPE"
        case SIGUSR1: return "SIGUSR1"
        case SIGUSR2: return "SIGUSR2"
        default: return "signal \(signal)"
        }
    }
}

/// Blocking wait for one child; run on a thread of its own.
enum ProcessWait {
    static func wait(_ pid: pid_t) -> ProcessExit {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid { return ProcessExit(waitStatus: status) }
            if result < 0 && errno != EINTR { return .exited(-1) }
        }
    }

    /// True while any process of the group exists (zombies included until reaped).
    static func groupExists(_ pgid: pid_t) -> Bool {
        kill(-pgid, 0) == 0 || errno == EPERM
    }
}
