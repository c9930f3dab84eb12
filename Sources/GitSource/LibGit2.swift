import CGit2
import Foundation

/// Process-wide libgit2 setup and error plumbing. Internal: no other module touches libgit2.
enum LibGit2 {
    /// `git_libgit2_init` runs exactly once: Swift initializes static stored properties lazily
    /// through `swift_once`, which is thread-safe. libgit2 is never shut down (it lives as long as the
    /// process), so handles handed out earlier stay valid.
    ///
    /// Objects read are not hashed again against their ids (libgit2's strict hash verification, a
    /// SHA-1 with collision detection per read: about 6% of a cold plan's CPU). Git itself does not
    /// re-hash on read either: a fetched pack is checked object by object when it is indexed, and a
    /// damaged object on disk fails zlib's checksum when it is inflated.
    private static let initialized: Bool = {
        let ok = git_libgit2_init() > 0
        _ = converge_git_set_strict_hash_verification(0)
        return ok
    }()

    static func ensureInitialized() {
        _ = initialized
    }

    /// The last libgit2 error on this thread (libgit2 keeps it thread-local).
    static func lastError() -> (klass: Int32, message: String) {
        guard let error = git_error_last() else { return (0, "unknown libgit2 error") }
        let message = error.pointee.message.map { String(cString: $0) } ?? "unknown libgit2 error"
        return (error.pointee.klass, message.trimmingTrailingNewlines())
    }

    /// Builds a `.libgit2` error from the thread's last error, with credentials stripped.
    static func error(_ operation: String, code: Int32) -> GitSourceError {
        let last = lastError()
        return .libgit2(operation: operation, code: code, message: Redaction.redactURLs(in: last.message))
    }

    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitSourceError) {
        if code < 0 { throw error(operation(), code: code) }
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" || last == " " { s = s.dropLast() }
        return String(s)
    }
}

extension GitRepository {
    /// Starts libgit2's one-time set-up on a background thread, so that it overlaps whatever the
    /// process does before its first repository (it parses the system's CA certificates: about
    /// 10 ms). Whoever needs libgit2 first waits for it to finish.
    public static func initializeInBackground() {
        Thread.detachNewThread { LibGit2.ensureInitialized() }
    }
}
