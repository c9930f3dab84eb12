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
        // No sizes in the listing: the parallel reads check each size (from the object's header)
        // before loading it, so that a cold load does not read every header on one thread first.
        let revision = try repository.revision(
            ref, under: path ?? "", extensions: Self.manifestExtensions, skipDotFolders: true, readSizes: false)
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
        var byPath: [String: Result<[UInt8], GitSourceError>] = [:]
        for file in files { byPath[file.entry.path] = file.bytes }
        let bytesByPath = byPath
        let prefix = directory.split(separator: "/", omittingEmptySubsequences: true)
            .filter { $0 != "." }.joined(separator: "/")
        let root = directory.hasPrefix("/") ? "/" + prefix : prefix
        return load(entries: files.map(\.entry), prefix: root) { wanted in
            wanted.map { bytesByPath[$0.path] ?? .failure(.pathNotFound(path: $0.path, in: "folder \(directory)")) }
        }
    }

    /// Parses the entries (some cached), reading the missing blobs through `read`. Error and cache
    /// paths are the entry paths with `prefix` in front (the folder given on the command line).
    /// Reading and parsing overlap: the missing files go in chunks to the cores, each chunk read
    /// (`read` may serialize, as a repository does) and then parsed while the next one is read.
    func load(
        entries: [TreeEntry], prefix: String,
        read: @escaping @Sendable ([(path: String, blob: BlobID)]) -> [Result<[UInt8], GitSourceError>]
    ) -> LoadedRevision {
        var problems: [ManifestError] = []
        var keys: [ManifestCache.Key] = []
        var entryPaths: [String] = []
        keys.reserveCapacity(entries.count)
        entryPaths.reserveCapacity(entries.count)
        for entry in entries {
            let file = prefix.isEmpty ? entry.path : prefix + "/" + entry.path
            switch entry.content {
            case .problem(let problem):
                problems.append(ManifestError(file: file, line: 0, column: 0, path: "", message: problem.description))
            case .submodule:
                problems.append(ManifestError(file: file, line: 0, column: 0, path: "",
                                              message: "is a submodule; manifests must be files of this repository"))
            case .blob(let blob, let size):
                if let size, size > maxFileSize {
                    problems.append(ManifestError(file: file, line: 0, column: 0, path: "",
                                                  message: "file is \(size) bytes, over the limit of \(maxFileSize) bytes"))
                    continue
                }
                keys.append(ManifestCache.Key(path: file, blob: blob))
                entryPaths.append(entry.path)
            }
        }

        let load = cache.begin()
        var parsed = cache.lookup(keys, load: load)
        let missing = parsed.indices.filter { parsed[$0] == nil }
        if !missing.isEmpty {
            // Chunks small enough to balance the cores, large enough to keep locking rare.
            let chunkSize = max(16, min(256, missing.count / 16))
            let chunks = stride(from: 0, to: missing.count, by: chunkSize).map {
                Array(missing[$0..<min($0 + chunkSize, missing.count)])
            }
            let keysForChunks = keys, pathsForChunks = entryPaths
            let results = concurrentMap(chunks, minimumCount: 2) { chunk -> [Result<ParsedFile, ManifestError>] in
                let contents = read(chunk.map { (pathsForChunks[$0], keysForChunks[$0].blob) })
                return zip(chunk, contents).map { n, content in
                    switch content {
                    case .success(let bytes):
                        return .success(parseManifestFile(ManifestFile(path: keysForChunks[n].path, contents: bytes)))
                    case .failure(let error):
                        return .failure(ManifestError(
                            file: keysForChunks[n].path, line: 0, column: 0, path: "", message: Self.message(error)))
                    }
                }
            }
            var stored: [(ManifestCache.Key, ParsedFile)] = []
            var parsedCount = 0
            if cache.retains { stored.reserveCapacity(missing.count) }
            for (n, result) in zip(missing, results.joined()) {
                switch result {
                case .success(let file):
                    parsed[n] = file
                    parsedCount += 1
                    if cache.retains { stored.append((keys[n], file)) }
                case .failure(let problem):
                    problems.append(problem)
                }
            }
            cache.store(stored, parsedCount: parsedCount, load: load)
        }

        var files: [ParsedFile] = []
        files.reserveCapacity(parsed.count)
        for file in parsed { if let file { files.append(file) } }
        cache.finish(load: load, used: files.count)
        cache.keepAlive(files)
        return assemble(files, extraProblems: problems, parsedFiles: missing.count)
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
