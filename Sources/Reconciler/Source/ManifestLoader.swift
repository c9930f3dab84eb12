import Foundation
import GitSource
import Manifests

/// Reads a revision's manifest files, parses them (through the cache, in parallel), assembles and
/// validates them into the planner's desired view. The only place that joins GitSource and Manifests.
public struct ManifestLoader: Sendable {
    public let cache: ManifestCache
    /// Parallel parse workers; 1 parses on the calling thread.
    public var parallelism: Int
    /// Files larger than this are reported as errors without being read.
    public var maxFileSize: Int

    public static let manifestExtensions: Set<String> = ["yaml", "yml"]

    public init(
        cache: ManifestCache = ManifestCache(),
        parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
        maxFileSize: Int = GitRepository.defaultMaxBlobSize
    ) {
        self.cache = cache
        self.parallelism = max(1, parallelism)
        self.maxFileSize = maxFileSize
    }

    /// The manifests of `ref` (a branch, tag or sha) under `path` of `repository`, read from the tree.
    public func load(repository: GitRepository, ref: String, path: String?) throws -> LoadedRevision {
        let revision = try repository.revision(
            ref, under: path ?? "", extensions: Self.manifestExtensions, skipDotFolders: true)
        var loaded = load(entries: revision.entries, prefix: "") { ids in
            repository.blobs(ids, maxSize: maxFileSize)
        }
        loaded.commit = revision.id.hex
        return loaded
    }

    /// Parses the entries (some cached), reading the missing blobs through `read`. Error and cache
    /// paths are the entry paths with `prefix` in front (the folder given on the command line).
    func load(
        entries: [TreeEntry], prefix: String,
        read: ([BlobID]) -> [BlobID: Result<[UInt8], GitSourceError>]
    ) -> LoadedRevision {
        var problems: [ManifestError] = []
        var parsed: [ParsedFile?] = Array(repeating: nil, count: entries.count)
        var missing: [(index: Int, key: ManifestCache.Key)] = []
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
                    missing.append((index, key))
                }
            }
        }

        if !missing.isEmpty {
            let contents = read(missing.map(\.key.blob))
            var work: [(index: Int, key: ManifestCache.Key, bytes: [UInt8])] = []
            for item in missing {
                switch contents[item.key.blob] {
                case .success(let bytes)?:
                    work.append((item.index, item.key, bytes))
                case .failure(let error)?:
                    problems.append(ManifestError(file: item.key.path, line: 0, column: 0, path: "", message: Self.message(error)))
                case nil:
                    problems.append(ManifestError(file: item.key.path, line: 0, column: 0, path: "", message: "cannot be read"))
                }
            }
            let results = parseAll(work.map { ($0.key.path, $0.bytes) })
            cache.store(zip(work, results).map { ($0.key, $1) })
            for (item, result) in zip(work, results) { parsed[item.index] = result }
        }

        return assemble(parsed.compactMap { $0 }, extraProblems: problems, parsedFiles: missing.count)
    }

    /// Parses files on up to `parallelism` threads; results in input order.
    func parseAll(_ files: [(path: String, bytes: [UInt8])]) -> [ParsedFile] {
        let workers = min(parallelism, max(1, files.count / 16))
        if workers <= 1 { return files.map { Self.parse(path: $0.path, bytes: $0.bytes) } }
        let results = UnsafeMutableBufferPointer<ParsedFile?>.allocate(capacity: files.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let next = AtomicCounter()
        let slots = SendableBuffer(results)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let start = next.add(32)
                guard start < files.count else { return }
                for i in start..<min(start + 32, files.count) {
                    slots.buffer[i] = Self.parse(path: files[i].path, bytes: files[i].bytes)
                }
            }
        }
        return results.map { $0! }
    }

    static func message(_ error: GitSourceError) -> String {
        switch error {
        case .blobTooLarge(_, let size, let limit):
            return "file is \(size) bytes, over the limit of \(limit) bytes"
        default:
            return "cannot be read: \(error)"
        }
    }
}

/// A claim counter for the parse workers. `@unchecked Sendable` is safe: `value` is only touched
/// while holding `lock`.
private final class AtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func add(_ n: Int) -> Int {
        lock.withLock {
            let old = value
            value += n
            return old
        }
    }
}

/// The parse results buffer. `@unchecked Sendable` is safe: each worker writes only the indices it
/// claimed from `AtomicCounter`, and the buffer is read only after `concurrentPerform` returns.
private struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
