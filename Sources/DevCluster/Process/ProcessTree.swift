import Foundation

/// A process and everything descended from it, found by walking /proc parent links (Linux). Tasks
/// a custom executor starts in their own session still count: they are its descendants.
struct ProcessTree: Sendable {
    struct Member: Sendable {
        var pid: Int32
        var processGroup: Int32
        var residentBytes: UInt64
    }

    var members: [Member]

    var residentBytes: UInt64 { members.reduce(0) { $0 + $1.residentBytes } }
    var processGroups: Set<Int32> { Set(members.map(\.processGroup)) }

    /// The tree rooted at each of `roots`, from one pass over /proc; zombies are left out.
    static func snapshot(roots: Set<Int32>) -> [Int32: ProcessTree] {
        guard !roots.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [:] }
        var parent: [Int32: Int32] = [:]
        var group: [Int32: Int32] = [:]
        var live: Set<Int32> = []
        for entry in entries {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            guard rest.count > 2, let ppid = Int32(rest[1]), let pgrp = Int32(rest[2]) else { continue }
            parent[pid] = ppid
            group[pid] = pgrp
            if rest[0] != "Z" { live.insert(pid) }
        }
        var children: [Int32: [Int32]] = [:]
        for (pid, ppid) in parent { children[ppid, default: []].append(pid) }
        let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        var trees: [Int32: ProcessTree] = [:]
        for root in roots where parent[root] != nil {
            var members: [Member] = []
            var queue = [root]
            var seen: Set<Int32> = []
            while let pid = queue.popLast() {
                guard seen.insert(pid).inserted else { continue }
                queue.append(contentsOf: children[pid] ?? [])
                guard live.contains(pid) else { continue }
                var rss: UInt64 = 0
                if let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) {
                    let fields = statm.split(separator: " ")
                    if fields.count > 1, let pages = UInt64(fields[1]) { rss = pages * pageSize }
                }
                members.append(Member(pid: pid, processGroup: group[pid] ?? pid, residentBytes: rss))
            }
            trees[root] = ProcessTree(members: members)
        }
        return trees
    }
}
