import Foundation

/// Workloads resolved by earlier assemblies, so that assembling a revision that differs from the
/// last one in a few files resolves only the documents of those files.
///
/// An entry is keyed by the identity of the parsed document (a parse cache hands out the same
/// `ParsedDocument` object for the same file contents) and the identities of the Defaults
/// documents that govern its folder: resolving is a pure function of those, so a hit is exactly
/// what resolving again would give. Each entry holds those documents, so their identities cannot
/// be reused by other objects while the entry lives. The memo keeps the entries used by the last
/// two assemblies (a base and a target revision), so it does not grow with history.
///
/// `@unchecked Sendable` is safe: every stored property is only touched while holding `lock`.
public final class AssemblyMemo: @unchecked Sendable {
    struct Key: Hashable {
        var document: ObjectIdentifier
        /// The governing Defaults documents, nearest first (one array shared per folder).
        var defaults: [ObjectIdentifier]
    }

    /// One resolved document; a class so that passing it around is one retain, not a copy of a
    /// whole workload.
    final class Entry: Sendable {
        let workload: Workload?
        let problems: [ManifestError]
        /// The documents the key names, kept alive so their identities stay theirs.
        let document: ParsedDocument
        let defaults: [ParsedDocument]

        init(workload: Workload?, problems: [ManifestError], document: ParsedDocument, defaults: [ParsedDocument]) {
            self.workload = workload
            self.problems = problems
            self.document = document
            self.defaults = defaults
        }
    }

    private let lock = NSLock()
    private var current: [Key: Entry] = [:]
    private var previous: [Key: Entry] = [:]
    private var hits = 0

    public init() {}

    /// Workload documents found resolved (not resolved again) since the memo was made.
    public var hitCount: Int { lock.withLock { hits } }

    /// The entries for `keys` (nil: not resolved before).
    func lookup(_ keys: [Key]) -> [Entry?] {
        lock.withLock {
            var found: [Entry?] = []
            found.reserveCapacity(keys.count)
            var count = 0
            for key in keys {
                let entry = current[key] ?? previous[key]
                if entry != nil { count += 1 }
                found.append(entry)
            }
            hits += count
            return found
        }
    }

    /// Records one assembly's entries (hits and new ones): they become the newest generation.
    func record(_ entries: [Key: Entry]) {
        lock.withLock {
            previous = current
            current = entries
        }
    }
}
