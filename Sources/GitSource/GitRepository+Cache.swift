import CGit2
import Foundation

extension GitRepository {
    /// Clones `remote` into a bare, mirror-like cache under `cache` (one folder per URL, named from a
    /// hash of it), or fetches into the existing one, and opens it. Remote branches appear as
    /// `refs/remotes/origin/<b>` (resolve `main` or `origin/main`), tags as `refs/tags/<t>`, the
    /// remote's default branch as `HEAD`. Branches and tags deleted on the remote are pruned.
    ///
    /// A cache left broken by a killed process (stale lock files, a half-written clone, a truncated
    /// HEAD, missing objects) is repaired: wiped and cloned afresh, once. A network or authentication
    /// failure never touches an intact cache: `openCached` still reads the last fetched state.
    /// The blocking libgit2 work runs on its own thread, not on the caller's executor. The transfer
    /// stops at `timeout`; a connection that hangs before any data flows (libgit2 1.5 has no connect
    /// timeout) is abandoned 10 s later: the caller gets `.timedOut`, and the thread finishes (and
    /// releases the cache lock) whenever the system gives up on the connection.
    public static func cloneOrFetch(
        remote: RemoteSpec,
        cache: URL,
        timeout: Duration = .seconds(300)
    ) async throws(GitSourceError) -> GitRepository {
        let display = Redaction.redactURL(remote.url)
        let result: Result<GitRepository, GitSourceError> = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            let thread = Thread {
                do throws(GitSourceError) {
                    once.resume(.success(try cloneOrFetchBlocking(remote: remote, cache: cache, timeout: timeout)))
                } catch {
                    once.resume(.failure(error))
                }
            }
            thread.name = "converge.git-fetch"
            thread.start()
            let cutoff = timeout + .seconds(10)
            DispatchQueue.global().asyncAfter(deadline: .now() + cutoff.seconds) {
                once.resume(.failure(.timedOut(url: display, seconds: cutoff.seconds)))
            }
        }
        return try result.get()
    }

    /// The same as `cloneOrFetch`, blocking the calling thread.
    public static func cloneOrFetchBlocking(
        remote: RemoteSpec,
        cache: URL,
        timeout: Duration = .seconds(300)
    ) throws(GitSourceError) -> GitRepository {
        LibGit2.ensureInitialized()
        let deadline = ContinuousClock.now + timeout
        let url = try RemoteURL(remote.url)
        var configured = remote.credentials
        if configured == .none, url.isHTTP, let user = url.userFromURL, let password = url.passwordFromURL, !password.isEmpty {
            configured = .usernamePassword(username: user, password: .literal(password))
        }
        let credentials = try ResolvedCredentials(configured)
        let folder = CacheFolder(directory: FileSystem.absolute(cache.path), name: url.cacheFolderName)
        do {
            try FileManager.default.createDirectory(atPath: folder.directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: folder.directory, reason: "cannot create the cache directory: \(error.localizedDescription)")
        }
        let lock = try CacheLock(path: folder.lockFile, timeout: timeout)
        defer { withExtendedLifetime(lock) {} }
        folder.removeLeftovers()

        let knownHosts = try remote.sshKnownHostsPath.map { path throws(GitSourceError) in try KnownHosts(path: path) }
        let fetcher = Fetcher(url: url, credentials: credentials, deadline: deadline, knownHosts: knownHosts)
        if FileSystem.exists(folder.repository) {
            folder.removeStaleGitLocks()
            switch fetcher.fetchExisting(at: folder.repository) {
            case .success:
                return try openCache(folder, url: url)
            case .failure(.remote(let error)):
                throw error
            case .failure(.local):
                try folder.wipe()  // broken beyond the lock files: clone afresh (the one retry)
            }
        }
        let temporary = folder.newTemporaryPath()
        do {
            try fetcher.cloneFresh(into: temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        guard rename(temporary, folder.repository) == 0 else {
            let reason = FileSystem.systemError()
            try? FileManager.default.removeItem(atPath: temporary)
            throw .io(path: folder.repository, reason: "cannot move the new clone into place: \(reason)")
        }
        return try openCache(folder, url: url)
    }

    /// Opens the cache of `remote` as last fetched, without touching the network; throws
    /// `.notARepository` when there is none.
    public static func openCached(remote: RemoteSpec, cache: URL) throws(GitSourceError) -> GitRepository {
        LibGit2.ensureInitialized()
        let url = try RemoteURL(remote.url)
        let folder = CacheFolder(directory: FileSystem.absolute(cache.path), name: url.cacheFolderName)
        return try openCache(folder, url: url)
    }

    /// The cache folder `cloneOrFetch` uses for `remote` under `cache`.
    public static func cachePath(for remote: RemoteSpec, cache: URL) throws(GitSourceError) -> String {
        let url = try RemoteURL(remote.url)
        return CacheFolder(directory: FileSystem.absolute(cache.path), name: url.cacheFolderName).repository
    }

    private static func openCache(_ folder: CacheFolder, url: RemoteURL) throws(GitSourceError) -> GitRepository {
        var handle: OpaquePointer?
        let code = git_repository_open_ext(&handle, folder.repository, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        guard code == 0, let handle else {
            throw .notARepository(path: folder.repository, reason: LibGit2.lastError().message)
        }
        return try GitRepository(handle: handle, path: folder.repository, origin: .cache(url: url.display))
    }
}

/// Resumes a continuation exactly once, from whichever of two threads comes first.
/// `@unchecked Sendable`: the continuation is only read and cleared while holding `lock`.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Never>?

    init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = continuation }

    func resume(_ value: T) {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume(returning: value)
    }
}
