import CGit2
import Foundation

/// Reads a plain folder (one that is not a git repository, or a working tree with uncommitted changes)
/// with the same entry model as a commit: repository-root-relative paths, sizes, git blob ids
/// computed from the bytes (so a file and the same file committed share an id), and symlinks
/// resolved inside `root` only. A `.git` entry is never listed: a commit cannot contain one either.
public enum DirectorySource {
    /// The files under `root/path`, sorted by path; see `GitRepository.entries` for the parameters.
    public static func entries(
        root: String,
        under path: String = "",
        extensions: Set<String> = [],
        skipDotFolders: Bool = false
    ) throws(GitSourceError) -> [TreeEntry] {
        try list(root: root, under: path, extensions: extensions, skipDotFolders: skipDotFolders, loadLimit: nil).entries
    }

    /// A file listed by `load`, with its bytes (or why they were not read).
    public struct LoadedFile: Hashable, Sendable {
        public let entry: TreeEntry
        public let bytes: Result<[UInt8], GitSourceError>
    }

    /// Lists like `entries` and reads every listed file once (its id is hashed from the bytes read),
    /// so validating a folder costs one read per file. Files over `maxSize` are hashed by streaming
    /// and reported as `.fileTooLarge`; problem entries as `.unreadableEntry`.
    public static func load(
        root: String,
        under path: String = "",
        extensions: Set<String> = [],
        skipDotFolders: Bool = false,
        maxSize: Int = GitRepository.defaultMaxBlobSize
    ) throws(GitSourceError) -> [LoadedFile] {
        let lister = try list(root: root, under: path, extensions: extensions, skipDotFolders: skipDotFolders, loadLimit: maxSize)
        return lister.entries.map { entry in
            switch entry.content {
            case .problem(let problem):
                return LoadedFile(entry: entry, bytes: .failure(.unreadableEntry(path: entry.path, reason: problem.description)))
            case .submodule:
                return LoadedFile(entry: entry, bytes: .failure(.unreadableEntry(path: entry.path, reason: "a submodule")))
            case .blob(_, let size):
                if let bytes = lister.loaded[entry.path] { return LoadedFile(entry: entry, bytes: bytes) }
                return LoadedFile(entry: entry, bytes: .failure(.fileTooLarge(path: entry.path, size: size ?? 0, limit: maxSize)))
            }
        }
    }

    private static func list(root: String, under path: String, extensions: Set<String>, skipDotFolders: Bool, loadLimit: Int?) throws(GitSourceError) -> DirectoryLister {
        LibGit2.ensureInitialized()
        let rootPath = try checkedRoot(root)
        let components = try RepoPath.components(path)
        var lister = DirectoryLister(root: rootPath, extensions: RepoPath.normalizedExtensions(extensions), skipDotFolders: skipDotFolders)
        lister.loadLimit = loadLimit
        if components.isEmpty {
            lister.walk(logical: "", physical: [])
        } else {
            let logical = components.joined(separator: "/")
            switch LinkResolver.resolve(target: logical, from: [], in: lister.store) {
            case .directory(let physical):
                lister.walk(logical: logical, physical: physical)
            case .file(let found, let physical):
                let content = lister.content(of: physical, size: found.size, path: logical)
                lister.entries.append(TreeEntry(path: logical, mode: found.executable ? .executable : .regular, content: content))
            case .problem(.symlinkEscapesRoot):
                throw .invalidPath(path)
            case .problem:
                throw .pathNotFound(path: path, in: "folder \(root)")
            }
        }
        lister.entries.sort { $0.path < $1.path }
        return lister
    }

    /// The bytes of the file at `path` (relative to `root`), following symlinks only inside `root`.
    /// Throws `.fileTooLarge` without reading a file bigger than `maxSize`.
    public static func read(root: String, path: String, maxSize: Int = GitRepository.defaultMaxBlobSize) throws(GitSourceError) -> [UInt8] {
        let rootPath = try checkedRoot(root)
        let components = try RepoPath.components(path)
        let store = DirectoryStore(root: rootPath)
        switch LinkResolver.resolve(target: components.joined(separator: "/"), from: [], in: store) {
        case .file(_, let physical):
            return try readFile(store.absolute(physical), displayPath: path, maxSize: maxSize)
        case .directory:
            throw .io(path: path, reason: "is a directory")
        case .problem(.symlinkDangling):
            throw .pathNotFound(path: path, in: "folder \(root)")
        case .problem(let problem):
            throw .io(path: path, reason: problem.description)
        }
    }

    private static func checkedRoot(_ root: String) throws(GitSourceError) -> String {
        let absolute = FileSystem.absolute(root)
        var st = stat()
        guard stat(absolute, &st) == 0 else { throw .io(path: root, reason: FileSystem.systemError()) }
        guard st.st_mode & S_IFMT == S_IFDIR else { throw .io(path: root, reason: "not a directory") }
        return absolute
    }

    static func readFile(_ absolute: String, displayPath: String, maxSize: Int) throws(GitSourceError) -> [UInt8] {
        // O_NONBLOCK: a FIFO swapped in after the check must not block the reader.
        let fd = open(absolute, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .io(path: displayPath, reason: FileSystem.systemError()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(path: displayPath, reason: FileSystem.systemError()) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .io(path: displayPath, reason: "not a regular file") }
        let size = Int(st.st_size)
        guard size <= maxSize else { throw .fileTooLarge(path: displayPath, size: size, limit: maxSize) }
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: displayPath, reason: FileSystem.systemError())
            }
            if n == 0 { break }
            filled += n
        }
        guard filled <= maxSize else { throw .fileTooLarge(path: displayPath, size: filled, limit: maxSize) }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }
}

/// A folder seen through `LinkResolvingStore`, answering with `lstat` (links are not followed).
struct DirectoryStore: LinkResolvingStore {
    struct Found { var size: Int; var executable: Bool }

    let root: String

    func absolute(_ components: [String]) -> String {
        components.isEmpty ? root : root + "/" + components.joined(separator: "/")
    }

    func lookup(_ components: [String]) -> LinkLookup<Found> {
        if components.last == ".git" { return .missing }
        let path = absolute(components)
        var st = stat()
        guard lstat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file(Found(size: Int(st.st_size), executable: st.st_mode & S_IXUSR != 0))
        case S_IFDIR: return .directory
        case S_IFLNK:
            guard let target = Self.readLink(path) else { return .missing }
            return .symlink(target: target)
        default: return .unsupported(Self.kindName(st.st_mode))
        }
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buffer, 4096)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "FIFO"
        case S_IFSOCK: "socket"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        default: "file type \(mode & S_IFMT)"
        }
    }
}

/// Walks a folder, collecting the entries that pass the filter.
struct DirectoryLister {
    let root: String
    let extensions: Set<String>
    let skipDotFolders: Bool
    var entries: [TreeEntry] = []
    /// When set, files up to this size are read once, hashed from memory and kept in `loaded`.
    var loadLimit: Int?
    var loaded: [String: Result<[UInt8], GitSourceError>] = [:]

    init(root: String, extensions: Set<String>, skipDotFolders: Bool) {
        self.root = root
        self.extensions = extensions
        self.skipDotFolders = skipDotFolders
    }

    var store: DirectoryStore { DirectoryStore(root: root) }

    mutating func walk(logical: String, physical: [String]) {
        let directory = store.absolute(physical)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            entries.append(TreeEntry(path: logical, mode: .regular, content: .problem(.unreadable("cannot list folder: \(FileSystem.systemError())"))))
            return
        }
        for name in names where name != ".git" {
            let path = RepoPath.join(logical, name)
            let components = physical + [name]
            let absolute = store.absolute(components)
            var st = stat()
            guard lstat(absolute, &st) == 0 else { continue }  // vanished while listing
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                if skipDotFolders && name.hasPrefix(".") { continue }
                walk(logical: path, physical: components)
            case S_IFREG:
                guard RepoPath.matches(name, extensions) else { continue }
                let content = content(of: components, size: Int(st.st_size), path: path)
                entries.append(TreeEntry(path: path, mode: st.st_mode & S_IXUSR != 0 ? .executable : .regular, content: content))
            case S_IFLNK:
                guard RepoPath.matches(name, extensions) else { continue }
                guard let target = DirectoryStore.readLink(absolute) else { continue }
                let content: TreeEntry.Content
                switch LinkResolver.resolve(target: target, from: physical, in: store) {
                case .file(let found, let resolved): content = self.content(of: resolved, size: found.size, path: path)
                case .directory: content = .problem(.symlinkToDirectory(target: target))
                case .problem(let problem): content = .problem(problem)
                }
                entries.append(TreeEntry(path: path, mode: .symlink(target: target), content: content))
            default:
                guard RepoPath.matches(name, extensions) else { continue }
                entries.append(TreeEntry(path: path, mode: .regular, content: .problem(.unsupportedFileType(DirectoryStore.kindName(st.st_mode)))))
            }
        }
    }

    /// The blob id of a regular file (git's hash of its bytes, streamed) and its size.
    mutating func content(of components: [String], size: Int, path: String) -> TreeEntry.Content {
        if let loadLimit, size <= loadLimit {
            do throws(GitSourceError) {
                let bytes = try DirectorySource.readFile(store.absolute(components), displayPath: path, maxSize: loadLimit)
                loaded[path] = .success(bytes)
                return .blob(BlobID.of(bytes), size: bytes.count)
            } catch {
                return .problem(.unreadable(error.description))
            }
        }
        var oid = git_oid()
        let code = git_odb_hashfile(&oid, store.absolute(components), GIT_OBJECT_BLOB)
        guard code == 0 else { return .problem(.unreadable(LibGit2.lastError().message)) }
        return .blob(BlobID(oid: oid), size: size)
    }
}
