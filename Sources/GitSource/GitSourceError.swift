/// Everything GitSource can fail with. Messages never contain credentials: URLs are shown without
/// their userinfo, and secret values are never part of any case.
public enum GitSourceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No branch, tag or commit by that name. `suggestions` lists a few similar branch or tag names.
    case unknownRef(String, suggestions: [String])
    /// An abbreviated sha matches more than one object.
    case ambiguousRef(String)
    /// The ref names something that is not (and does not peel to) a commit, e.g. a tag of a tree.
    case notACommit(ref: String)
    /// The path does not exist in the commit (or directory).
    case pathNotFound(path: String, in: String)
    /// A path with `..` components or otherwise unusable.
    case invalidPath(String)
    /// No object with this id in the repository.
    case objectNotFound(String)
    /// The blob is larger than the caller's limit; it was not loaded.
    case blobTooLarge(BlobID, size: Int, limit: Int)
    /// The entry has no readable content (a symlink problem, a submodule).
    case unreadableEntry(path: String, reason: String)
    /// A plain file is larger than the caller's limit; it was not loaded.
    case fileTooLarge(path: String, size: Int, limit: Int)
    /// The path is not a git repository (or could not be opened as one).
    case notARepository(path: String, reason: String)
    /// The remote could not be reached or did not answer as a git server.
    case remoteUnreachable(url: String, reason: String)
    /// The remote refused the credentials (or needs credentials and none were configured).
    case authenticationFailed(url: String, reason: String)
    /// A credential source (file, environment variable, key file) could not be read.
    case credentialsUnavailable(String)
    /// The remote URL is not one GitSource supports.
    case unsupportedURL(String)
    /// The cache folder is damaged and could not be repaired by wiping and cloning again.
    case cacheCorrupt(path: String, reason: String)
    /// Another process holds the cache folder's lock for longer than the deadline.
    case cacheBusy(path: String, waitedSeconds: Double)
    /// The clone or fetch did not finish before its deadline.
    case timedOut(url: String, seconds: Double)
    /// A file system operation failed.
    case io(path: String, reason: String)
    /// Any other libgit2 failure: the operation, libgit2's code and message.
    case libgit2(operation: String, code: Int32, message: String)

    public var description: String {
        switch self {
        case .unknownRef(let ref, let suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?"
            return "unknown ref '\(ref)': no branch, tag or commit by that name\(hint)"
        case .ambiguousRef(let ref):
            return "ambiguous ref '\(ref)': the abbreviated sha matches several objects; use more digits"
        case .notACommit(let ref):
            return "ref '\(ref)' does not point to a commit"
        case .pathNotFound(let path, let place):
            return "path '\(path)' not found in \(place)"
        case .invalidPath(let path):
            return "invalid path '\(path)': must be relative to the repository root, without '..'"
        case .objectNotFound(let id):
            return "object \(id) not found in the repository"
        case .blobTooLarge(let id, let size, let limit):
            return "file \(id.short) is \(size) bytes, over the limit of \(limit) bytes; not read"
        case .unreadableEntry(let path, let reason):
            return "\(path): \(reason)"
        case .fileTooLarge(let path, let size, let limit):
            return "\(path) is \(size) bytes, over the limit of \(limit) bytes; not read"
        case .notARepository(let path, let reason):
            return "'\(path)' is not a git repository: \(reason)"
        case .remoteUnreachable(let url, let reason):
            return "cannot reach git remote \(url): \(reason)"
        case .authenticationFailed(let url, let reason):
            return "authentication to git remote \(url) failed: \(reason)"
        case .credentialsUnavailable(let reason):
            return "git credentials unavailable: \(reason)"
        case .unsupportedURL(let url):
            return "unsupported git remote '\(url)': use file://, a local path, https://, http://, ssh:// or user@host:path"
        case .cacheCorrupt(let path, let reason):
            return "git cache folder \(path) is corrupt and could not be repaired: \(reason)"
        case .cacheBusy(let path, let waited):
            return "git cache folder \(path) is locked by another process (waited \(Int(waited)) s)"
        case .timedOut(let url, let seconds):
            return "fetching \(url) did not finish within \(Int(seconds)) s"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .libgit2(let operation, let code, let message):
            return "\(operation) failed: \(message) (libgit2 error \(code))"
        }
    }
}
