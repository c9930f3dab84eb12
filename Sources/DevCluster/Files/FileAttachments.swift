import Foundation

/// The agent's map of attached names (virtual or real paths) to real paths, and Mesos's resolution of a
/// requested path against it (`FilesProcess::resolve`): the longest attached prefix, the rest joined
/// under it and canonicalized, refused when it leaves the attached directory.
struct FileAttachments: Sendable, Equatable {
    var paths: [String: String]

    enum Resolution: Equatable {
        case found(String)
        case notFound
        /// Resolved outside its attached directory (a symlink or `..` escape).
        case inaccessible(String)
    }

    func resolve(_ requested: String) -> Resolution {
        var trimmed = requested
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        var tokens = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var suffix: [String] = []
        while !tokens.isEmpty {
            let prefix = tokens.joined(separator: "/")
            guard let attached = paths[prefix] else {
                suffix.insert(tokens.removeLast(), at: 0)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: attached, isDirectory: &isDirectory) else { return .notFound }
            if !isDirectory.boolValue { return suffix.isEmpty ? .found(attached) : .notFound }
            let joined = ([attached] + suffix).joined(separator: "/")
            guard let real = Self.realPath(joined) else { return .notFound }
            guard real == attached || real.hasPrefix(attached.hasSuffix("/") ? attached : attached + "/") else {
                return .inaccessible("'\(joined)' is inaccessible")
            }
            return .found(real)
        }
        return .notFound
    }

    /// `realpath(3)`: nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// EX in `.../executors/EX/runs/...`.
    static func executorID(inSandbox sandbox: String) -> String? {
        let parts = sandbox.split(separator: "/").map(String.init)
        guard let index = parts.lastIndex(of: "executors"), index + 2 < parts.count, parts[index + 2] == "runs" else { return nil }
        return parts[index + 1]
    }
}
