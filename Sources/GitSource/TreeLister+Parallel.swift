import CGit2
import Foundation

extension TreeLister {
    /// Walks `tree` and everything under it. With `readers`, on several threads: the first levels
    /// here, breadth-first, until there are enough folders to share; then each worker walks its
    /// share through handles of its own (libgit2 handles serve one thread at a time) and reads the
    /// sizes it does not know. What no worker could take is walked here afterwards.
    mutating func walk(
        _ tree: OpaquePointer, logical: String, physical: [String], sharingWith readers: ObjectReaders?
    ) throws(GitSourceError) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard let readers, cores > 1 else {
            try walk(tree, logical: logical, physical: physical)
            return
        }
        collectsSubtrees = true
        try walk(tree, logical: logical, physical: physical)
        var queue = subtrees
        subtrees = []
        while !queue.isEmpty && queue.count < 4 * cores {
            let next = queue.removeFirst()
            let subtree = try lookupTree(next.oid, path: next.logical)
            defer { git_tree_free(subtree) }
            try walk(subtree, logical: next.logical, physical: next.physical)
            queue.append(contentsOf: subtrees)
            subtrees = []
        }
        collectsSubtrees = false
        guard !queue.isEmpty else { return }

        let lanes = min(cores, queue.count)
        let shares = (0..<lanes).map { lane in stride(from: lane, to: queue.count, by: lanes).map { queue[$0] } }
        let results = WalkResults(count: lanes)
        let rootID = git_tree_id(root).pointee
        let (known, extensions, skipDotFolders) = (sizes, self.extensions, self.skipDotFolders)
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            let result = readers.withHandles { repo, odb -> Result<TreeLister, GitSourceError> in
                var rootID = rootID
                var workerRoot: OpaquePointer?
                guard git_tree_lookup(&workerRoot, repo, &rootID) == 0, let workerRoot else {
                    return .failure(LibGit2.error("reading the root tree", code: -1))
                }
                defer { git_tree_free(workerRoot) }
                var worker = TreeLister(
                    repo: repo, odb: odb, root: workerRoot, extensions: extensions, skipDotFolders: skipDotFolders)
                worker.inherited = known
                do throws(GitSourceError) {
                    for folder in shares[lane] {
                        let subtree = try worker.lookupTree(folder.oid, path: folder.logical)
                        defer { git_tree_free(subtree) }
                        try worker.walk(subtree, logical: folder.logical, physical: folder.physical)
                    }
                    try worker.readPendingSizes(readers: nil)
                    return .success(worker)
                } catch {
                    return .failure(error)
                }
            }
            results.set(lane, result)
        }
        for lane in 0..<lanes {
            switch results.get(lane) {
            case .success(let worker)?:
                entries.append(contentsOf: worker.entries)
                sizes.merge(worker.sizes) { old, _ in old }
            case .failure(let error)?:
                throw error
            case nil:
                // No handle of its own was free or could be opened: walk this share here.
                for folder in shares[lane] {
                    let subtree = try lookupTree(folder.oid, path: folder.logical)
                    defer { git_tree_free(subtree) }
                    try walk(subtree, logical: folder.logical, physical: folder.physical)
                }
            }
        }
    }
}

/// One result slot per worker of `TreeLister.walk(_:logical:physical:sharingWith:)`.
///
/// `@unchecked Sendable` is safe: `slots` is only touched while holding `lock`. A worker's lister
/// holds libgit2 handles only while its worker runs; what is read back are its entries and sizes.
private final class WalkResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<TreeLister, GitSourceError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ lane: Int, _ result: Result<TreeLister, GitSourceError>?) { lock.withLock { slots[lane] = result } }

    func get(_ lane: Int) -> Result<TreeLister, GitSourceError>? { lock.withLock { slots[lane] } }
}
