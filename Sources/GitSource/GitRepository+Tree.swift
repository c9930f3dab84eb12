import CGit2

extension GitRepository {
    /// The files of `commit` under `path`, read straight from its tree (no checkout), sorted by path.
    ///
    /// - `path`: a folder (or a single file) relative to the repository root; `""` is the root.
    /// - `extensions`: keep only files with one of these extensions (`["yaml", "yml"]`, case-insensitive,
    ///   with or without the dot); empty keeps every file.
    /// - `skipDotFolders`: do not descend into folders whose name starts with `.` (`.github`, ...).
    /// - `readSizes`: read each blob's size from its object header (false: sizes are nil, and
    ///   listing costs no object read; a read checks the size before loading the contents).
    ///
    /// A symlink is resolved inside the commit: one that points to a file within the repository yields
    /// that file's blob; one that escapes the root, dangles, loops or points to a folder yields a
    /// `.problem` for its path. Submodules yield `.submodule`.
    public func entries(
        at commit: CommitID,
        under path: String = "",
        extensions: Set<String> = [],
        skipDotFolders: Bool = false,
        readSizes: Bool = true
    ) throws(GitSourceError) -> [TreeEntry] {
        let components = try RepoPath.components(path)
        let filter = RepoPath.normalizedExtensions(extensions)
        do {
            return try withHandles { repo, odb throws(GitSourceError) in
                let commitHandle = try Self.lookupCommit(commit, repo: repo)
                defer { git_commit_free(commitHandle) }
                var root: OpaquePointer?
                let code = git_commit_tree(&root, commitHandle)
                guard code == 0, let root else {
                    throw code == GIT_ENOTFOUND.rawValue
                        ? .objectNotFound("tree of commit \(commit.short)")
                        : LibGit2.error("reading the tree of \(commit.short)", code: code)
                }
                defer { git_tree_free(root) }
                var lister = TreeLister(
                    repo: repo, odb: odb, root: root, extensions: filter, skipDotFolders: skipDotFolders,
                    readSizes: readSizes)
                // Moved in and out (not copied): we hold the lock, so nobody else touches it meanwhile.
                if blobSizes.count > Self.maxCachedBlobSizes { blobSizes = [:] }
                swap(&lister.sizes, &blobSizes)
                defer { swap(&lister.sizes, &blobSizes) }
                try lister.list(under: components, requested: path, commit: commit)
                return lister.entries.sorted { $0.path < $1.path }
            }
        } catch {
            // A tree or blob that an existing commit refers to is missing: the cache is damaged.
            // (An unknown commit id is the caller's mistake, not damage.)
            if case .objectNotFound(let what) = error, !what.hasPrefix("commit ") { markCacheBroken() }
            throw error
        }
    }

    /// The commit's metadata and its files under `path`: the immutable revision the reconciler uses.
    public func revision(
        _ ref: String,
        under path: String = "",
        extensions: Set<String> = [],
        skipDotFolders: Bool = false,
        readSizes: Bool = true
    ) throws(GitSourceError) -> Revision {
        let id = try resolve(ref)
        return Revision(
            commit: try commit(id),
            path: (try RepoPath.components(path)).joined(separator: "/"),
            entries: try entries(
                at: id, under: path, extensions: extensions, skipDotFolders: skipDotFolders, readSizes: readSizes)
        )
    }
}

/// A commit's tree seen through `LinkResolvingStore`, for following symlinks inside the commit.
struct TreeStore: LinkResolvingStore {
    struct Found { var oid: git_oid; var executable: Bool }

    let repo: OpaquePointer
    let root: OpaquePointer

    func lookup(_ components: [String]) -> LinkLookup<Found> {
        if components.isEmpty { return .directory }
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, root, components.joined(separator: "/")) == 0, let entry else { return .missing }
        defer { git_tree_entry_free(entry) }
        let oid = git_tree_entry_id(entry).pointee
        switch git_tree_entry_filemode(entry) {
        case GIT_FILEMODE_TREE: return .directory
        case GIT_FILEMODE_BLOB: return .file(Found(oid: oid, executable: false))
        case GIT_FILEMODE_BLOB_EXECUTABLE: return .file(Found(oid: oid, executable: true))
        case GIT_FILEMODE_LINK:
            guard let target = Self.linkTarget(oid, repo: repo) else { return .missing }
            return .symlink(target: target)
        case GIT_FILEMODE_COMMIT: return .submodule
        default: return .unsupported("git file mode \(git_tree_entry_filemode(entry).rawValue)")
        }
    }

    /// The text of a symlink blob; nil when missing or longer than any real path.
    static func linkTarget(_ oid: git_oid, repo: OpaquePointer) -> String? {
        var oid = oid
        var blob: OpaquePointer?
        guard git_blob_lookup(&blob, repo, &oid) == 0, let blob else { return nil }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size <= 4096, let raw = git_blob_rawcontent(blob) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: raw, count: size)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Walks a tree, collecting the entries that pass the filter.
struct TreeLister {
    let repo: OpaquePointer
    let odb: OpaquePointer
    let root: OpaquePointer
    let extensions: Set<String>
    let skipDotFolders: Bool
    let readSizes: Bool
    var entries: [TreeEntry] = []
    /// Known blob sizes, filled as blobs are listed.
    var sizes: [BlobID: Int] = [:]

    init(
        repo: OpaquePointer, odb: OpaquePointer, root: OpaquePointer, extensions: Set<String>,
        skipDotFolders: Bool, readSizes: Bool
    ) {
        self.repo = repo
        self.odb = odb
        self.root = root
        self.extensions = extensions
        self.skipDotFolders = skipDotFolders
        self.readSizes = readSizes
    }

    private var store: TreeStore { TreeStore(repo: repo, root: root) }

    mutating func list(under components: [String], requested: String, commit: CommitID) throws(GitSourceError) {
        if components.isEmpty {
            try walk(root, logical: "", physical: [])
            return
        }
        let logical = components.joined(separator: "/")
        switch LinkResolver.resolve(target: logical, from: [], in: store) {
        case .directory(let physical):
            var entry: OpaquePointer?
            guard git_tree_entry_bypath(&entry, root, physical.joined(separator: "/")) == 0, let entry else {
                throw .pathNotFound(path: requested, in: "commit \(commit.short)")
            }
            defer { git_tree_entry_free(entry) }
            let tree = try lookupTree(git_tree_entry_id(entry).pointee, path: logical)
            defer { git_tree_free(tree) }
            try walk(tree, logical: logical, physical: physical)
        case .file(let found, _):
            // A single file asked for by name is returned whatever its extension.
            let size = readSizes ? try blobSize(found.oid, path: logical) : nil
            entries.append(TreeEntry(path: logical, mode: found.executable ? .executable : .regular,
                                     content: .blob(BlobID(oid: found.oid), size: size)))
        case .problem(.symlinkEscapesRoot):
            throw .invalidPath(requested)
        case .problem:
            throw .pathNotFound(path: requested, in: "commit \(commit.short)")
        }
    }

    private mutating func walk(_ tree: OpaquePointer, logical: String, physical: [String]) throws(GitSourceError) {
        let count = git_tree_entrycount(tree)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            let path = RepoPath.join(logical, name)
            let oid = git_tree_entry_id(entry).pointee
            switch git_tree_entry_filemode(entry) {
            case GIT_FILEMODE_TREE:
                if skipDotFolders && name.hasPrefix(".") { continue }
                let subtree = try lookupTree(oid, path: path)
                defer { git_tree_free(subtree) }
                try walk(subtree, logical: path, physical: physical + [name])
            case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE:
                guard RepoPath.matches(name, extensions) else { continue }
                let executable = git_tree_entry_filemode(entry) == GIT_FILEMODE_BLOB_EXECUTABLE
                let blob = BlobID(oid: oid)
                var size: Int?
                if readSizes {
                    if let known = sizes[blob] {
                        size = known
                    } else {
                        size = try blobSize(oid, path: path)
                        sizes[blob] = size
                    }
                }
                entries.append(TreeEntry(path: path, mode: executable ? .executable : .regular,
                                         content: .blob(blob, size: size)))
            case GIT_FILEMODE_LINK:
                guard RepoPath.matches(name, extensions) else { continue }
                guard let target = TreeStore.linkTarget(oid, repo: repo) else {
                    throw .objectNotFound("symlink blob \(ObjectHex.format(oid)) at \(path)")
                }
                let content: TreeEntry.Content
                switch LinkResolver.resolve(target: target, from: physical, in: store) {
                case .file(let found, let resolvedPath):
                    let size = readSizes ? try blobSize(found.oid, path: resolvedPath.joined(separator: "/")) : nil
                    content = .blob(BlobID(oid: found.oid), size: size)
                case .directory:
                    content = .problem(.symlinkToDirectory(target: target))
                case .problem(let problem):
                    content = .problem(problem)
                }
                entries.append(TreeEntry(path: path, mode: .symlink(target: target), content: content))
            case GIT_FILEMODE_COMMIT:
                guard RepoPath.matches(name, extensions) else { continue }
                entries.append(TreeEntry(path: path, mode: .submodule, content: .submodule(CommitID(oid: oid))))
            default:
                continue
            }
        }
    }

    private func lookupTree(_ oid: git_oid, path: String) throws(GitSourceError) -> OpaquePointer {
        var oid = oid
        var tree: OpaquePointer?
        let code = git_tree_lookup(&tree, repo, &oid)
        guard code == 0, let tree else {
            if code == GIT_ENOTFOUND.rawValue { throw .objectNotFound("tree \(ObjectHex.format(oid)) at \(path)") }
            throw LibGit2.error("reading the tree at \(path)", code: code)
        }
        return tree
    }

    /// The blob's size from its object header, without loading its contents.
    private func blobSize(_ oid: git_oid, path: String) throws(GitSourceError) -> Int {
        var oid = oid
        var size = 0
        var type = GIT_OBJECT_INVALID
        let code = git_odb_read_header(&size, &type, odb, &oid)
        guard code == 0 else {
            if code == GIT_ENOTFOUND.rawValue { throw .objectNotFound("blob \(ObjectHex.format(oid)) at \(path)") }
            throw LibGit2.error("reading the blob at \(path)", code: code)
        }
        return size
    }
}
