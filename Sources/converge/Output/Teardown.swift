import Foundation

/// Skips freeing large results at the end of a command: the process exits right after, and the
/// operating system reclaims its memory at once. Freeing a plan of 10,000 workloads object by
/// object (parsed files, resolved workloads, field lists) would cost tens of milliseconds of a
/// command's run for nothing.
enum Teardown {
    /// Keeps `objects` alive until the process exits.
    static func skip(_ objects: Any...) {
        lock.withLock { kept.append(contentsOf: objects) }
    }

    private static let lock = NSLock()
    /// Only touched while holding `lock`.
    nonisolated(unsafe) private static var kept: [Any] = []
}
