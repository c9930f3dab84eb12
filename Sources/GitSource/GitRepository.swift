import CGit2
import Foundation

/// An open git repository: a local one (bare or with a working tree) or a cache clone of a remote.
///
/// Every method is synchronous, fast (object reads from the open repository) and safe to call from
/// any thread or task. `@unchecked Sendable` is safe because the libgit2 handles are only touched
/// while holding `lock`: libgit2 objects must not be used by two threads at once, and serializing
/// calls on one handle is what libgit2's threading guide asks for. The handles are created in `init`
/// and freed in `deinit`, never exposed.
public final class GitRepository: @unchecked Sendable {
    /// Where this repository came from.
    public enum Origin: Hashable, Sendable {
        case local
        /// A cache clone of a remote; `url` is shown without credentials.
        case cache(url: String)
    }

    /// The repository's folder (the git dir for a bare repository or a cache).
    public let path: String
    public let origin: Origin

    private let lock = NSLock()
    /// Sizes of blobs listed so far (an object id fixes its size), so that listing a revision that
    /// shares most files with an earlier one skips their object header reads. Only touched inside
    /// `withHandles` (under `lock`).
    var blobSizes: [BlobID: Int] = [:]
    /// Past this many sizes the cache starts over, so a long-lived process does not grow without end.
    static let maxCachedBlobSizes = 250_000
    private let repo: OpaquePointer
    private let odb: OpaquePointer

    init(handle: OpaquePointer, path: String, origin: Origin) throws(GitSourceError) {
        var odb: OpaquePointer?
        let code = git_repository_odb(&odb, handle)
        guard code == 0, let odb else {
            let error = LibGit2.error("opening the object database of \(path)", code: code)
            git_repository_free(handle)
            throw error
        }
        self.repo = handle
        self.odb = odb
        self.path = path
        self.origin = origin
    }

    deinit {
        git_odb_free(odb)
        git_repository_free(repo)
    }

    /// Opens the repository at `path` exactly (no search in parent folders): a working tree's root,
    /// its `.git` folder, or a bare repository.
    public static func open(path: String) throws(GitSourceError) -> GitRepository {
        LibGit2.ensureInitialized()
        let absolute = FileSystem.absolute(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw .notARepository(path: path, reason: "no such directory")
        }
        guard isDirectory.boolValue else { throw .notARepository(path: path, reason: "not a directory") }
        var handle: OpaquePointer?
        let code = git_repository_open_ext(&handle, absolute, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        guard code == 0, let handle else {
            let last = LibGit2.lastError()
            if code == GIT_EOWNER.rawValue {
                throw .notARepository(path: path, reason: "it is owned by another user (\(last.message))")
            }
            throw .notARepository(path: path, reason: last.message)
        }
        let gitDir = git_repository_path(handle).map { String(cString: $0) } ?? absolute
        return try GitRepository(handle: handle, path: FileSystem.trimmingTrailingSlash(gitDir), origin: .local)
    }

    /// True for a bare repository (every cache is bare).
    public var isBare: Bool { locked { git_repository_is_bare(repo) == 1 } }

    /// Runs `body` with the repository and object database handles, holding the lock.
    func withHandles<T>(_ body: (_ repo: OpaquePointer, _ odb: OpaquePointer) throws(GitSourceError) -> T) throws(GitSourceError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(repo, odb)
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// A name for messages: the remote URL of a cache, the folder of a local repository.
    var displayName: String {
        switch origin {
        case .local: path
        case .cache(let url): url
        }
    }
}
