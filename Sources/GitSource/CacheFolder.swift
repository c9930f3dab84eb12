import CGit2
import Foundation

/// The files of one remote's cache under the cache directory, and their upkeep:
/// `<name>.git` (a bare clone), `<name>.lock` (the flock), `<name>.tmp-*` (a clone in progress),
/// `<name>.trash-*` (a broken clone being deleted).
struct CacheFolder {
    let directory: String
    let name: String

    var repository: String { directory + "/" + name }
    var lockFile: String { repository + ".lock" }
    /// Written into a cache when a read finds an object missing: the next fetch clones afresh.
    static let brokenMarker = "converge-broken"

    func newTemporaryPath() -> String { repository + ".tmp-" + UUID().uuidString.lowercased() }

    /// Removes leftovers of killed processes: half-written clones and half-deleted caches.
    /// Only called with the cache lock held, so no live process owns them.
    func removeLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in names where entry.hasPrefix(name + ".tmp-") || entry.hasPrefix(name + ".trash-") {
            try? FileManager.default.removeItem(atPath: directory + "/" + entry)
        }
    }

    /// Moves the cache aside (one atomic rename) and deletes it.
    func wipe() throws(GitSourceError) {
        guard FileSystem.exists(repository) else { return }
        let trash = repository + ".trash-" + UUID().uuidString.lowercased()
        guard rename(repository, trash) == 0 else {
            throw .io(path: repository, reason: "cannot move the broken cache aside: \(FileSystem.systemError())")
        }
        try? FileManager.default.removeItem(atPath: trash)
    }

    /// Deletes git lock files and temporary pack files a killed fetch left behind
    /// (`refs/.../x.lock`, `packed-refs.lock`, `config.lock`, `objects/pack/tmp_*`).
    /// Safe only with the cache lock held.
    func removeStaleGitLocks() {
        let root = repository
        guard let walker = FileManager.default.enumerator(atPath: root) else { return }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            let isObjectFile = relative.hasPrefix("objects/")
            if name.hasSuffix(".lock") || (isObjectFile && (name.hasPrefix("tmp_") || name.hasPrefix("tmp-"))) {
                try? FileManager.default.removeItem(atPath: root + "/" + relative)
            }
            // Loose object folders hold thousands of files with nothing to clean: skip them.
            if isObjectFile, relative.utf8.count == 10 { walker.skipDescendants() }
        }
    }
}

extension GitRepository {
    /// Deletes tags that do not point (through annotated tags) to a commit, e.g. a tag of a tree:
    /// libgit2 1.5's fetch negotiation fails on them ("object is not a committish"). The fetch that
    /// follows brings them back; their objects stay in the cache, so this costs nothing.
    static func dropNonCommitTags(repo: OpaquePointer) {
        var iterator: OpaquePointer?
        guard git_reference_iterator_glob_new(&iterator, repo, "refs/tags/*") == 0, let iterator else { return }
        defer { git_reference_iterator_free(iterator) }
        var reference: OpaquePointer?
        while git_reference_next(&reference, iterator) == 0, let ref = reference {
            defer { git_reference_free(ref) }
            var commit: OpaquePointer?
            let peel = git_reference_peel(&commit, ref, GIT_OBJECT_COMMIT)
            if peel == 0 { git_object_free(commit); continue }
            if peel == GIT_EPEEL.rawValue || peel == GIT_EINVALIDSPEC.rawValue { _ = git_reference_delete(ref) }
        }
    }

    /// Marks a cache clone as broken (an object its refs need is missing) so that the next
    /// `cloneOrFetch` replaces it. No effect on a local repository.
    func markCacheBroken() {
        guard case .cache = origin else { return }
        _ = FileManager.default.createFile(atPath: path + "/" + CacheFolder.brokenMarker, contents: Data("missing objects\n".utf8))
    }

    /// Why the cache cannot be used, or nil when it looks whole: every remote branch and tag peels to a
    /// commit whose tree is present. (Not a full fsck; a blob found missing later marks the cache.)
    static func integrityProblem(repo: OpaquePointer, path: String) -> String? {
        if FileSystem.exists(path + "/" + CacheFolder.brokenMarker) { return "a previous read found objects missing" }
        var head: OpaquePointer?
        guard git_reference_lookup(&head, repo, "HEAD") == 0 else { return "HEAD is unreadable: " + LibGit2.lastError().message }
        git_reference_free(head)
        var iterator: OpaquePointer?
        guard git_reference_iterator_new(&iterator, repo) == 0, let iterator else {
            return "cannot list refs: " + LibGit2.lastError().message
        }
        defer { git_reference_iterator_free(iterator) }
        var reference: OpaquePointer?
        while true {
            let code = git_reference_next(&reference, iterator)
            if code == GIT_ITEROVER.rawValue { return nil }
            guard code == 0, let ref = reference else { return "cannot read refs: " + LibGit2.lastError().message }
            defer { git_reference_free(ref) }
            let name = String(cString: git_reference_name(ref))
            guard name.hasPrefix("refs/remotes/") || name.hasPrefix("refs/tags/") else { continue }
            if name.hasSuffix("/HEAD") { continue }
            var commit: OpaquePointer?
            let peel = git_reference_peel(&commit, ref, GIT_OBJECT_COMMIT)
            if peel == GIT_EPEEL.rawValue || peel == GIT_EINVALIDSPEC.rawValue { continue }  // a tag of a blob or tree
            guard peel == 0, let commit else { return "\(name) points to a missing object" }
            defer { git_object_free(commit) }
            var tree: OpaquePointer?
            guard git_commit_tree(&tree, commit) == 0, let tree else { return "the tree of \(name) is missing" }
            git_tree_free(tree)
        }
    }
}
