/// A file of a commit (or of a plain directory) under the path asked for.
public struct TreeEntry: Hashable, Sendable {
    /// How the file is stored.
    public enum Mode: Hashable, Sendable {
        case regular
        case executable
        /// A symbolic link; `target` is the link text as stored.
        case symlink(target: String)
        /// A gitlink (submodule) entry; its content is not in this repository.
        case submodule
    }

    /// What reading the entry yields.
    public enum Content: Hashable, Sendable {
        /// A blob and its size in bytes; the size is nil when the listing did not read it
        /// (`readSizes: false`), and a read checks it then. For a symlink, the blob of the file it
        /// points to.
        case blob(BlobID, size: Int?)
        /// A submodule's commit (not readable from this repository).
        case submodule(CommitID)
        /// The entry cannot be read; reported for this path instead of failing the whole listing.
        case problem(EntryProblem)
    }

    /// Repository-root-relative path with `/` separators, e.g. `services/web.yaml`.
    public let path: String
    public let mode: Mode
    public let content: Content

    public init(path: String, mode: Mode, content: Content) {
        self.path = path
        self.mode = mode
        self.content = content
    }

    public var blob: BlobID? {
        if case .blob(let id, _) = content { return id }
        return nil
    }

    public var size: Int? {
        if case .blob(_, let size?) = content { return size }
        return nil
    }

    public var problem: EntryProblem? {
        if case .problem(let problem) = content { return problem }
        return nil
    }
}

/// Why one entry cannot be read. The listing carries it as a value so that the caller can report it
/// against the path (with every other error of the repository) instead of failing the whole read.
public enum EntryProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The link is absolute or climbs out of the repository root with `..`.
    case symlinkEscapesRoot(target: String)
    /// The link points at nothing (a missing file, or a path through a regular file).
    case symlinkDangling(target: String)
    /// Following the link (and the links it leads to) did not end within 40 hops.
    case symlinkLoop(target: String)
    /// The link points at a directory; directories are not followed through links.
    case symlinkToDirectory(target: String)
    /// The link points at a submodule.
    case symlinkToSubmodule(target: String)
    /// Not a regular file, directory or symlink (a FIFO, socket or device in a plain directory).
    case unsupportedFileType(String)
    /// The file could not be read (permissions, I/O); the reason comes from the system.
    case unreadable(String)

    public var description: String {
        switch self {
        case .symlinkEscapesRoot(let t): "symlink to '\(t)' points outside the repository"
        case .symlinkDangling(let t): "symlink to '\(t)' points to nothing"
        case .symlinkLoop(let t): "symlink to '\(t)' does not resolve (too many levels of links)"
        case .symlinkToDirectory(let t): "symlink to '\(t)' points to a directory"
        case .symlinkToSubmodule(let t): "symlink to '\(t)' points into a submodule"
        case .unsupportedFileType(let kind): "unsupported file type (\(kind))"
        case .unreadable(let reason): "cannot read: \(reason)"
        }
    }
}
