import Foundation
import GitSource
import Manifests

/// Parsed manifest files, keyed by path and blob id, so that a new revision parses only what changed.
///
/// Shared by the parallel parse of one load and across loads (the controller keeps one for its
/// lifetime). `@unchecked Sendable` is safe: every stored property is only touched while holding `lock`.
public final class ManifestCache: @unchecked Sendable {
    struct Key: Hashable {
        var path: String
        var blob: BlobID
    }

    /// Resolved workloads of the last assemblies (see `AssemblyMemo`); it has its own lock.
    let assemblies = AssemblyMemo()

    private let lock = NSLock()
    private var files: [Key: ParsedFile] = [:]
    private var parses = 0
    private var hits = 0

    public init() {}

    /// How many files were parsed through this cache (misses) since it was made.
    public var parseCount: Int { lock.withLock { parses } }

    /// How many lookups found a parsed file.
    public var hitCount: Int { lock.withLock { hits } }

    /// Parsed files held.
    public var count: Int { lock.withLock { files.count } }

    func lookup(_ key: Key) -> ParsedFile? {
        lock.withLock {
            let found = files[key]
            if found != nil { hits += 1 }
            return found
        }
    }

    func store(_ parsed: [(Key, ParsedFile)]) {
        lock.withLock {
            parses += parsed.count
            for (key, file) in parsed { files[key] = file }
        }
    }
}
