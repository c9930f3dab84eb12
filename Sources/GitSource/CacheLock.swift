import Foundation

/// An exclusive `flock` on `<cache>/<name>.lock`, held while a process fetches into or repairs a cache
/// folder. The kernel releases it when the process dies, so a killed process never leaves it stale.
final class CacheLock {
    private let fd: Int32

    init(path: String, timeout: Duration) throws(GitSourceError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, reason: "cannot open lock file: \(FileSystem.systemError())") }
        let start = ContinuousClock.now
        var pause = Duration.milliseconds(10)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            guard error == EWOULDBLOCK || error == EINTR else {
                close(fd)
                throw .io(path: path, reason: "cannot lock: \(FileSystem.systemError(error))")
            }
            let waited = ContinuousClock.now - start
            if waited > timeout {
                close(fd)
                throw .cacheBusy(path: path, waitedSeconds: waited.seconds)
            }
            Thread.sleep(forTimeInterval: pause.seconds)
            pause = min(pause * 2, .milliseconds(500))
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

extension Duration {
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
