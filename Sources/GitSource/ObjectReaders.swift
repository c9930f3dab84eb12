import CGit2
import Foundation

/// Extra object-database handles on the same repository, so that several threads can read blobs at
/// once: libgit2 objects must not be used by two threads at the same time, so instead of queueing
/// every read behind the repository's one handle, each reader borrows a handle of its own (opened
/// on first need, kept for reuse, at most one per core).
///
/// `@unchecked Sendable` is safe: `spare` and `opened` are only touched while holding `lock`, and a
/// borrowed handle is used by exactly one thread until it is returned.
final class ObjectReaders: @unchecked Sendable {
    private let gitDir: String
    private let lock = NSLock()
    private var spare: [(repo: OpaquePointer, odb: OpaquePointer)] = []
    private var opened = 0
    private let limit = max(1, ProcessInfo.processInfo.activeProcessorCount)

    init(gitDir: String) { self.gitDir = gitDir }

    deinit {
        for handles in spare {
            git_odb_free(handles.odb)
            git_repository_free(handles.repo)
        }
    }

    /// Runs `body` with a handle of its own, or returns nil when every handle is busy (the caller
    /// then uses the repository's main handle) or one cannot be opened.
    func withReader<T>(_ body: (OpaquePointer) -> T) -> T? {
        withHandles { _, odb in body(odb) }
    }

    /// `withReader` with the repository handle too (to look up trees).
    func withHandles<T>(_ body: (_ repo: OpaquePointer, _ odb: OpaquePointer) -> T) -> T? {
        guard let handles = borrow() else { return nil }
        defer { lock.withLock { spare.append(handles) } }
        return body(handles.repo, handles.odb)
    }

    private func borrow() -> (repo: OpaquePointer, odb: OpaquePointer)? {
        let mayOpen: Bool = lock.withLock {
            if !spare.isEmpty { return false }
            guard opened < limit else { return false }
            opened += 1
            return true
        }
        if !mayOpen { return lock.withLock { spare.popLast() } }
        var repo: OpaquePointer?
        var odb: OpaquePointer?
        guard git_repository_open_ext(&repo, gitDir, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil) == 0, let repo else {
            lock.withLock { opened -= 1 }
            return nil
        }
        guard git_repository_odb(&odb, repo) == 0, let odb else {
            git_repository_free(repo)
            lock.withLock { opened -= 1 }
            return nil
        }
        return (repo, odb)
    }
}
