import Foundation
import GitSource
import Manifests

/// Parsed manifest files, keyed by path and blob id, so that a new revision parses only what changed.
///
/// Shared by the parallel parse of one load and across loads (the controller keeps one for its
/// lifetime). Bounded: it keeps only the files used by the last two loads (a base and a target
/// revision, or the running and the new revision), so it does not grow with history.
/// `@unchecked Sendable` is safe: every stored property is only touched while holding `lock`.
public final class ManifestCache: @unchecked Sendable {
    struct Key: Hashable {
        var path: String
        var blob: BlobID
    }

    /// Resolved workloads of the last assemblies (see `AssemblyMemo`); it has its own lock.
    let assemblies = AssemblyMemo()

    private struct Slot {
        var file: ParsedFile
        /// The last load that used the file.
        var load: Int
    }

    private let lock = NSLock()
    private var files: [Key: Slot] = [:]
    private var parses = 0
    private var hits = 0
    /// Loads begun so far; the newest is `loads`.
    private var loads = 0
    /// Files used by the newest and the previous finished load.
    private var usedByLast = 0
    private var usedByPrevious = 0

    /// False for a cache made for one load (`singleLoad()`): nothing is kept for a later one.
    let retains: Bool

    public init() { retains = true }

    private init(retains: Bool) { self.retains = retains }

    /// A cache for a command that loads one revision and exits (`converge validate`, a plan against
    /// an empty cluster): it counts parses but keeps no file and no resolved workload, since no
    /// later load could use them.
    public static func singleLoad() -> ManifestCache { ManifestCache(retains: false) }

    /// How many files were parsed through this cache (misses) since it was made.
    public var parseCount: Int { lock.withLock { parses } }

    /// How many lookups found a parsed file.
    public var hitCount: Int { lock.withLock { hits } }

    /// Parsed files held.
    public var count: Int { lock.withLock { files.count } }

    /// Starts a load: its lookups and stores mark the files it uses (see `finish`).
    func begin() -> Int {
        lock.withLock {
            loads += 1
            return loads
        }
    }

    /// The parsed files for `keys` (nil: not cached), marked as used by `load`.
    func lookup(_ keys: [Key], load: Int) -> [ParsedFile?] {
        if !retains { return Array(repeating: nil, count: keys.count) }
        return lock.withLock {
            var found: [ParsedFile?] = []
            found.reserveCapacity(keys.count)
            for key in keys {
                if let index = files.index(forKey: key) {
                    files.values[index].load = max(files.values[index].load, load)
                    found.append(files.values[index].file)
                    hits += 1
                } else {
                    found.append(nil)
                }
            }
            return found
        }
    }

    /// A single-load cache holds its one load's files for as long as the cache lives: a command that
    /// keeps the cache until it exits then never frees them file by file.
    private var lastLoad: [ParsedFile] = []

    /// For a single-load cache: keeps `files` alive as long as the cache (see `lastLoad`).
    func keepAlive(_ files: [ParsedFile]) {
        guard !retains else { return }
        lock.withLock { lastLoad = files }
    }

    /// Keeps `parsed` (when this cache retains files) and counts `parsedCount` parses.
    func store(_ parsed: [(Key, ParsedFile)], parsedCount: Int, load: Int) {
        lock.withLock {
            parses += parsedCount
            guard retains else { return }
            for (key, file) in parsed { files[key] = Slot(file: file, load: load) }
        }
    }

    /// Ends `load`, which used `used` files: drops the files that neither it nor the load before it
    /// used. The scan runs only when stale files exist.
    func finish(load: Int, used: Int) {
        lock.withLock {
            guard retains else { return }
            usedByPrevious = usedByLast
            usedByLast = used
            guard files.count > usedByLast + usedByPrevious else { return }
            let keep = load - 1
            files = files.filter { $0.value.load >= keep }
        }
    }
}
