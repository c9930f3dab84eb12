import Foundation
import GitSource
import Manifests

/// Reads a revision's manifest files, parses them (through the cache, in parallel), assembles and
/// validates them into the planner's desired view. The only place that joins GitSource and Manifests.
public struct ManifestLoader: Sendable {
    public let cache: ManifestCache
    /// Files larger than this are reported as errors without being read.
    public var maxFileSize: Int

    public static let manifestExtensions: Set<String> = ["yaml", "yml"]

    public init(
        cache: ManifestCache = ManifestCache(),
        maxFileSize: Int = GitRepository.defaultMaxBlobSize
    ) {
        self.cache = cache
        self.maxFileSize = maxFileSize
    }

    /// The manifests of `ref` (a branch, tag or sha) under `path` of `repository`, read from the tree.
    public func load(repository: GitRepository, ref: String, path: String?) throws -> LoadedRevision {
        let revision = try repository.revision(
            ref, under: path ?? "", extensions: Self.manifestExtensions, skipDotFolders: true)
        var loaded = load(entries: revision.entries, prefix: "") { wanted in
            let blobs = repository.blobs(wanted.map(\.blob), maxSize: maxFileSize)
            return wanted.map { blobs[$0.blob] ?? .failure(.objectNotFound($0.blob.hex)) }
        }
        loaded.commit = revision.id.hex
        return loaded
    }

    /// The manifests of a folder on disk (a git work tree is read as it is, uncommitted edits
    /// included). Error paths start with `directory` as given, so they are relative to where the
    /// command ran.
    public func loadDirectory(_ directory: String, path: String? = nil) throws -> LoadedRevision {
        // One read per file: the listing hashes the bytes it reads for the blob ids.
        let files = try DirectorySource.load(
            root: directory, under: path ?? "", extensions: Self.manifestExtensions, skipDotFolders: true,
            maxSize: maxFileSize)
        var bytesByPath: [String: Result<[UInt8], GitSourceError>] = [:]
        for file in files { bytesByPath[file.entry.path] = file.bytes }
        let prefix = directory.split(separator: "/", omittingEmptySubsequences: true)
            .filter { $0 != "." }.joined(separator: "/")
        let root = directory.hasPrefix("/") ? "/" + prefix : prefix
        return load(entries: files.map(\.entry), prefix: root) { wanted in
            wanted.map { bytesByPath[$0.path] ?? .failure(.pathNotFound(path: $0.path, in: "folder \(directory)")) }
        }
    }

    /// Parses the entries (some cached), reading the missing blobs through `read`. Error and cache
    /// paths are the entry paths with `prefix` in front (the folder given on the command line).
    func load(
        entries: [TreeEntry], prefix: String,
        read: ([(path: String, blob: BlobID)]) -> [Result<[UInt8], GitSourceError>]
    ) -> LoadedRevision {
        var problems: [ManifestError] = []
        var parsed: [ParsedFile?] = Array(repeating: nil, count: entries.count)
        var missing: [(index: Int, entryPath: String, key: ManifestCache.Key)] = []
        for (index, entry) in entries.enumerated() {
            let file = prefix.isEmpty ? entry.path : prefix + "/" + entry.path
            switch entry.content {
            case .problem(let problem):
                problems.append(ManifestError(file: file, line: 0, column: 0, path: "", message: problem.description))
            case .submodule:
                problems.append(ManifestError(file: file, line: 0, column: 0, path: "",
                                              message: "is a submodule; manifests must be files of this repository"))
            case .blob(let blob, let size):
                if size > maxFileSize {
                    problems.append(ManifestError(file: file, line: 0, column: 0, path: "",
                                                  message: "file is \(size) bytes, over the limit of \(maxFileSize) bytes"))
                    continue
                }
                let key = ManifestCache.Key(path: file, blob: blob)
                if let hit = cache.lookup(key) {
                    parsed[index] = hit
                } else {
                    missing.append((index, entry.path, key))
                }
            }
        }

        if !missing.isEmpty {
            let contents = read(missing.map { ($0.entryPath, $0.key.blob) })
            var work: [(index: Int, key: ManifestCache.Key, bytes: [UInt8])] = []
            for (item, content) in zip(missing, contents) {
                switch content {
                case .success(let bytes):
                    work.append((item.index, item.key, bytes))
                case .failure(let error):
                    problems.append(ManifestError(file: item.key.path, line: 0, column: 0, path: "", message: Self.message(error)))
                }
            }
            // Spread over the cores by Manifests (files are independent until assembly).
            let results = parseManifestFiles(work.map { ManifestFile(path: $0.key.path, contents: $0.bytes) })
            cache.store(zip(work, results).map { ($0.key, $1) })
            for (item, result) in zip(work, results) { parsed[item.index] = result }
        }

        var files: [ParsedFile] = []
        var fileKeys: [String] = []
        files.reserveCapacity(entries.count)
        fileKeys.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            guard let file = parsed[index], case .blob(let blob, _) = entry.content else { continue }
            files.append(file)
            // A path never holds a NUL, so path and blob id cannot run into each other.
            fileKeys.append(file.path + "\u{0}" + blob.hex)
        }
        return assemble(files, fileKeys: fileKeys, extraProblems: problems, parsedFiles: missing.count)
    }

    static func message(_ error: GitSourceError) -> String {
        switch error {
        case .blobTooLarge(_, let size, let limit), .fileTooLarge(_, let size, let limit):
            return "file is \(size) bytes, over the limit of \(limit) bytes"
        default:
            return "cannot be read: \(error)"
        }
    }
}
