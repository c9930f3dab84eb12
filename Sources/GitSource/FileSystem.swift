import Foundation

/// Small file-system helpers over POSIX calls.
enum FileSystem {
    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return trimmingTrailingSlash(expanded) }
        let cwd = FileManager.default.currentDirectoryPath
        return trimmingTrailingSlash((cwd as NSString).appendingPathComponent(expanded))
    }

    static func trimmingTrailingSlash(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func systemError(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// Reads a whole small file (credentials, link targets); nil when unreadable.
    static func readSmallFile(_ path: String, limit: Int = 1 << 20) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit + 1), data.count <= limit else { return nil }
        return [UInt8](data)
    }
}
