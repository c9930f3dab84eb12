import Foundation

/// Workloads resolved by earlier assemblies, so that assembling a revision that differs from the
/// last one in a few files resolves only the documents of those files.
///
/// An entry is keyed by the document's file identity (path and content id, e.g. the blob id),
/// its index in the file, and the identities of the Defaults documents that govern its folder:
/// resolving is a pure function of those, so a hit is exactly what resolving again would give.
/// The memo keeps the entries used by the last two assemblies (a base and a target revision), so
/// it does not grow with history.
///
/// `@unchecked Sendable` is safe: every stored property is only touched while holding `lock`.
public final class AssemblyMemo: @unchecked Sendable {
    /// One resolved document; a class so that passing it around is one retain, not a copy of a
    /// whole workload.
    final class Entry: Sendable {
        let workload: Workload?
        let problems: [ManifestError]

        init(workload: Workload?, problems: [ManifestError]) {
            self.workload = workload
            self.problems = problems
        }
    }

    private let lock = NSLock()
    private var current: [String: Entry] = [:]
    private var previous: [String: Entry] = [:]
    private var hits = 0

    public init() {}

    /// Workload documents found resolved (not resolved again) since the memo was made.
    public var hitCount: Int { lock.withLock { hits } }

    /// The entries for `keys` (nil: not resolved before).
    func lookup(_ keys: [String]) -> [Entry?] {
        lock.withLock {
            let found = keys.map { current[$0] ?? previous[$0] }
            hits += found.lazy.filter { $0 != nil }.count
            return found
        }
    }

    /// Records one assembly's entries (hits and new ones): they become the newest generation.
    func record(_ entries: [String: Entry]) {
        lock.withLock {
            previous = current
            current = entries
        }
    }
}
