import CGit2
import Foundation

/// One clone or fetch of a remote into a cache folder, with credentials and a deadline.
struct Fetcher {
    enum Failure: Error {
        /// The remote side failed (unreachable, authentication, timeout): keep the cache.
        case remote(GitSourceError)
        /// The cache itself is broken: wipe it and clone again.
        case local(String)
    }

    let url: RemoteURL
    let credentials: ResolvedCredentials
    let deadline: ContinuousClock.Instant
    let knownHosts: KnownHosts?

    static let fetchRefspecs = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]

    /// Fetches into an existing cache, telling a remote failure from a broken cache.
    func fetchExisting(at path: String) -> Result<Void, Failure> {
        var repo: OpaquePointer?
        guard git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil) == 0, let repo else {
            return .failure(.local("cannot open: " + LibGit2.lastError().message))
        }
        defer { git_repository_free(repo) }
        guard git_repository_is_bare(repo) == 1 else { return .failure(.local("not a bare repository")) }
        if let problem = GitRepository.integrityProblem(repo: repo, path: path) { return .failure(.local(problem)) }
        do throws(GitSourceError) {
            try configureOrigin(repo)
        } catch {
            return .failure(.local("cannot configure the remote: \(error)"))
        }
        GitRepository.dropNonCommitTags(repo: repo)
        switch fetch(repo) {
        case .success:
            if let problem = GitRepository.integrityProblem(repo: repo, path: path) { return .failure(.local(problem)) }
            return .success(())
        case .failure(let error):
            // A fetch that failed against an intact cache is the remote's failure.
            if let problem = GitRepository.integrityProblem(repo: repo, path: path) { return .failure(.local(problem)) }
            return .failure(.remote(error))
        }
    }

    /// Clones into a new bare repository at `path` (a temporary folder the caller renames into place).
    func cloneFresh(into path: String) throws(GitSourceError) {
        var repo: OpaquePointer?
        let code = git_repository_init(&repo, path, 1)
        guard code == 0, let repo else { throw LibGit2.error("creating the cache clone \(path)", code: code) }
        defer { git_repository_free(repo) }
        try configureOrigin(repo)
        try fetch(repo).get()
        if let problem = GitRepository.integrityProblem(repo: repo, path: path) {
            throw .cacheCorrupt(path: path, reason: problem)
        }
    }

    /// Makes `origin` point at the URL (without credentials) with the mirror-like refspecs.
    private func configureOrigin(_ repo: OpaquePointer) throws(GitSourceError) {
        var remote: OpaquePointer?
        if git_remote_lookup(&remote, repo, "origin") == 0, let existing = remote {
            defer { git_remote_free(existing) }
            let current = git_remote_url(existing).map { String(cString: $0) }
            if current != url.url {
                try LibGit2.check(git_remote_set_url(repo, "origin", url.url), "setting the cache's remote URL")
            }
            return
        }
        let code = git_remote_create_with_fetchspec(&remote, repo, "origin", url.url, Self.fetchRefspecs[0])
        guard code == 0, let created = remote else { throw LibGit2.error("configuring remote \(url.display)", code: code) }
        git_remote_free(created)
        try LibGit2.check(git_remote_add_fetch(repo, "origin", Self.fetchRefspecs[1]), "configuring remote \(url.display)")
    }

    private func fetch(_ repo: OpaquePointer) -> Result<Void, GitSourceError> {
        var remote: OpaquePointer?
        guard git_remote_lookup(&remote, repo, "origin") == 0, let remote else {
            return .failure(LibGit2.error("reading remote origin", code: -1))
        }
        defer { git_remote_free(remote) }
        let session = FetchSession(credentials: credentials, userFromURL: url.userFromURL, deadline: deadline)
        session.knownHosts = knownHosts
        session.sshHost = url.sshHost
        session.sshPort = url.sshPort
        let payload = Unmanaged.passUnretained(session).toOpaque()
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.prune = GIT_FETCH_PRUNE
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE  // tags come through the explicit refspec
        options.callbacks.payload = payload
        options.callbacks.credentials = { out, urlText, userFromURL, allowed, payload in
            guard let payload else { return GIT_EAUTH.rawValue }
            let session = Unmanaged<FetchSession>.fromOpaque(payload).takeUnretainedValue()
            return session.acquire(out, urlUser: userFromURL.map { String(cString: $0) }, allowed: allowed)
        }
        options.callbacks.certificate_check = { cert, valid, _, payload in
            guard let payload else { return -1 }
            return Unmanaged<FetchSession>.fromOpaque(payload).takeUnretainedValue().checkCertificate(cert, valid: valid)
        }
        options.callbacks.transfer_progress = { _, payload in
            guard let payload else { return 0 }
            return Unmanaged<FetchSession>.fromOpaque(payload).takeUnretainedValue().stillInTime() ? 0 : -1
        }
        options.callbacks.sideband_progress = { _, _, payload in
            guard let payload else { return 0 }
            return Unmanaged<FetchSession>.fromOpaque(payload).takeUnretainedValue().stillInTime() ? 0 : -1
        }
        let code = withExtendedLifetime(session) { git_remote_fetch(remote, nil, &options, "converge fetch") }
        guard code == 0 else { return .failure(classify(code: code, session: session)) }
        updateRemoteHEAD(repo, remote: remote)
        return .success(())
    }

    /// Points `refs/remotes/origin/HEAD` at the remote's default branch (so `HEAD` resolves).
    private func updateRemoteHEAD(_ repo: OpaquePointer, remote: OpaquePointer) {
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        guard git_remote_default_branch(&buffer, remote) == 0, let pointer = buffer.ptr else {
            return  // an empty remote, or a server that does not say
        }
        let branch = String(cString: pointer)
        guard branch.hasPrefix("refs/heads/") else { return }
        let target = "refs/remotes/origin/" + branch.dropFirst("refs/heads/".count)
        var reference: OpaquePointer?
        if git_reference_symbolic_create(&reference, repo, "refs/remotes/origin/HEAD", target, 1, "converge: remote HEAD") == 0 {
            git_reference_free(reference)
        }
    }

    private func classify(code: Int32, session: FetchSession) -> GitSourceError {
        let last = LibGit2.lastError()
        let message = Redaction.redact(last.message, secrets: credentials.secrets)
        if session.timedOut {
            return .timedOut(url: url.display, seconds: (ContinuousClock.now - session.started).seconds)
        }
        if let failure = session.hostKeyFailure {
            return .remoteUnreachable(url: url.display, reason: failure)
        }
        if let failure = session.authFailure {
            return .authenticationFailed(url: url.display, reason: failure)
        }
        let lowered = message.lowercased()
        if code == GIT_EAUTH.rawValue || lowered.contains("authentication") || lowered.contains("401")
            || lowered.contains("permission denied") || lowered.contains("unauthorized") {
            return .authenticationFailed(url: url.display, reason: message)
        }
        return .remoteUnreachable(url: url.display, reason: message)
    }
}
