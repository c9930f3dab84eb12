#if canImport(Glibc)
import Glibc
#endif

/// Resident memory of a process group, summed over /proc/<pid>/statm of its members (Linux). Reads with fixed
/// buffers: it runs every second for the life of the task.
enum GroupMemory {
    static let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))

    /// RSS in bytes of every process whose process group is `pgid`.
    static func residentBytes(group pgid: Int32) -> UInt64 {
        guard let directory = opendir("/proc") else { return 0 }
        defer { closedir(directory) }
        var total: UInt64 = 0
        var buffer = [UInt8](repeating: 0, count: 512)
        while let entry = readdir(directory) {
            let pid: Int32? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                var value: Int32 = 0
                for byte in raw {
                    if byte == 0 { break }
                    guard byte >= 48 && byte <= 57 else { return nil }
                    value = value * 10 + Int32(byte - 48)
                }
                return value > 0 ? value : nil
            }
            guard let pid, processGroup(of: pid, buffer: &buffer) == pgid else { continue }
            total += residentPages(of: pid, buffer: &buffer) * pageSize
        }
        return total
    }

    /// Field 5 (pgrp) of /proc/PID/stat; the command name may hold spaces and parentheses.
    static func processGroup(of pid: Int32, buffer: inout [UInt8]) -> Int32? {
        let count = readFile("/proc/\(pid)/stat", into: &buffer)
        guard count > 0, let close = buffer[0..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        var token = 0
        var value: Int32 = 0
        var inToken = false
        for byte in buffer[(close + 1)..<count] {
            if byte == UInt8(ascii: " ") {
                if inToken {
                    if token == 2 { return value }
                    token += 1
                    inToken = false
                }
                continue
            }
            inToken = true
            if token == 2 {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int32(byte - 48)
            }
        }
        return nil
    }

    static func residentPages(of pid: Int32, buffer: inout [UInt8]) -> UInt64 {
        let count = readFile("/proc/\(pid)/statm", into: &buffer)
        var field = 0
        var value: UInt64 = 0
        for byte in buffer[0..<max(0, count)] {
            if byte == UInt8(ascii: " ") {
                if field == 1 { return value }
                field += 1
                continue
            }
            if field == 1, byte >= 48, byte <= 57 { value = value * 10 + UInt64(byte - 48) }
        }
        return field == 1 ? value : 0
    }

    /// RSS of this process in bytes.
    static func selfResidentBytes() -> UInt64 {
        var buffer = [UInt8](repeating: 0, count: 256)
        return residentPages(of: getpid(), buffer: &buffer) * pageSize
    }

    private static func readFile(_ path: String, into buffer: inout [UInt8]) -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let capacity = buffer.count
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, capacity) }
        return max(0, count)
    }
}

/// The soft memory limit: when the group's RSS passes `limitBytes`, the executor asks the task to stop.
struct MemoryLimit: Sendable, Hashable {
    var memoryMB: Double
    var softLimit: Double

    var limitBytes: UInt64 { UInt64(memoryMB * softLimit * 1_048_576) }

    /// nil when there is nothing to watch (no memory figure, or the watch is off).
    init?(memoryMB: Double?, softLimit: Double) {
        guard let memoryMB, memoryMB > 0, softLimit > 0 else { return nil }
        self.memoryMB = memoryMB
        self.softLimit = softLimit
    }

    func message(peakBytes: UInt64) -> String {
        let limit = Double(limitBytes) / 1_048_576
        let peak = Double(peakBytes) / 1_048_576
        return "Memory soft limit exceeded: limit \(Self.mb(limit)) MB (\(Self.mb(softLimit * 100))% of "
            + "\(Self.mb(memoryMB)) MB), peak \(Self.mb(peak)) MB"
    }

    static func mb(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String((value * 10).rounded() / 10)
    }
}
