import Foundation

/// Resident memory of a process from `/proc/<pid>/status`: VmRSS (now) and VmHWM (peak), in MB (2^20 bytes).
struct ProcessMemory {
    var residentMB: Double
    var peakMB: Double

    /// Nil when the process is gone or /proc cannot be read.
    static func read(pid: Int32? = nil) -> ProcessMemory? {
        let path = pid.map { "/proc/\($0)/status" } ?? "/proc/self/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var rss: Double?
        var hwm: Double?
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { rss = kilobytes(line) }
            if line.hasPrefix("VmHWM:") { hwm = kilobytes(line) }
        }
        guard let rss, let hwm else { return nil }
        return ProcessMemory(residentMB: rss / 1024, peakMB: hwm / 1024)
    }

    /// This process's resident MB after returning freed heap pages to the system (`malloc_trim`), so that
    /// differences between two readings count live data, not garbage malloc kept.
    static func trimmedResidentMB() -> Double {
        if let trim = mallocTrim { _ = trim(0) }
        return read()?.residentMB ?? -1
    }

    /// CPU seconds (user + system) a process has used so far, from `/proc/<pid>/stat`; nil when gone.
    static func cpuSeconds(pid: Int32? = nil) -> Double? {
        let path = pid.map { "/proc/\($0)/stat" } ?? "/proc/self/stat"
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command's closing parenthesis: state is field 3; utime and stime are 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Bytes of heap in live allocations (glibc's `malloc_info`: arena system bytes minus free chunks, plus
    /// mmapped chunks), in MB; nil where glibc's malloc is not in use. Unlike resident memory it does not count
    /// pages that freed garbage keeps resident through fragmentation.
    static func heapInUseMB() -> Double? {
        guard let info = mallocInfo else { return nil }
        var buffer: UnsafeMutablePointer<CChar>?
        var size = 0
        guard let stream = open_memstream(&buffer, &size) else { return nil }
        let status = info(0, stream)
        fclose(stream)
        defer { free(buffer) }
        guard status == 0, let buffer else { return nil }
        let xml = String(cString: buffer)
        // The totals over all arenas follow the last </heap>.
        guard let tail = xml.range(of: "</heap>", options: .backwards).map({ xml[$0.upperBound...] }) else { return nil }
        func sizeField(_ tag: String, _ type: String) -> Double? {
            guard let start = tail.range(of: "<\(tag) type=\"\(type)\"") else { return nil }
            let rest = tail[start.upperBound...]
            guard let sizeStart = rest.range(of: "size=\"") else { return nil }
            let digits = rest[sizeStart.upperBound...].prefix { $0.isNumber }
            return Double(digits)
        }
        guard let system = sizeField("system", "current") else { return nil }
        let free = (sizeField("total", "fast") ?? 0) + (sizeField("total", "rest") ?? 0)
        let mmapped = sizeField("total", "mmap") ?? 0
        return (system - free + mmapped) / 1_048_576
    }

    private static let mallocInfo: (@convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_info") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32).self)
    }()

    /// glibc's `malloc_trim` (not in the Glibc module's headers), looked up at run time; nil elsewhere.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    private static func kilobytes(_ line: Substring) -> Double? {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Double($0) }
    }
}
