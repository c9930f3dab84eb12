import Foundation

/// Resident memory of process groups, read from /proc (Linux).
enum ProcessGroupMemory {
    /// RSS in bytes per process group id, for the groups asked about; one pass over /proc.
    static func residentBytes(groups: Set<Int32>) -> [Int32: UInt64] {
        guard !groups.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
            return [:]
        }
        let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        var totals: [Int32: UInt64] = [:]
        for entry in entries where entry.first?.isNumber == true {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let pgid = processGroup(fromStat: stat), groups.contains(pgid),
                  let statm = try? String(contentsOfFile: "/proc/\(entry)/statm", encoding: .utf8)
            else { continue }
            let fields = statm.split(separator: " ")
            guard fields.count > 1, let pages = UInt64(fields[1]) else { continue }
            totals[pgid, default: 0] += pages * pageSize
        }
        return totals
    }

    /// Field 5 (pgrp) of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses.
    static func processGroup(fromStat stat: String) -> Int32? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        // rest[0] = state, rest[1] = ppid, rest[2] = pgrp
        guard rest.count > 2 else { return nil }
        return Int32(rest[2])
    }

    /// RSS of this process in bytes.
    static func selfResidentBytes() -> UInt64 {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = UInt64(fields[1]) else { return 0 }
        return pages * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Every live (not zombie) pid whose process group is `pgid` (for hygiene checks).
    static func members(ofGroup pgid: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  processGroup(fromStat: stat) == pgid, !isZombie(stat) else { return nil }
            return pid
        }
    }

    private static func isZombie(_ stat: String) -> Bool {
        guard let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
    }
}
