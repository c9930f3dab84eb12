/// Repository-relative path handling shared by the commit and directory readers.
enum RepoPath {
    /// `""`, `"."`, `"/"`, `"./a//b/"` -> components; `..` is refused.
    static func components(_ path: String) throws(GitSourceError) -> [String] {
        var parts: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { throw .invalidPath(path) }
            parts.append(String(part))
        }
        return parts
    }

    static func join(_ prefix: String, _ name: String) -> String {
        prefix.isEmpty ? name : prefix + "/" + name
    }

    /// Extensions normalized to lowercase without the leading dot.
    static func normalizedExtensions(_ extensions: Set<String>) -> Set<String> {
        Set(extensions.map { ext in
            let trimmed = ext.hasPrefix(".") ? String(ext.dropFirst()) : ext
            return trimmed.lowercased()
        })
    }

    /// True when `name` has one of `extensions` (already normalized); every name matches an empty set.
    static func matches(_ name: String, _ extensions: Set<String>) -> Bool {
        if extensions.isEmpty { return true }
        // Byte-wise for an ASCII extension (every listed file is checked); anything else takes the
        // Unicode-aware path, which treats a `.` followed by a combining mark as no dot.
        var name = name
        let ascii: String?? = name.withUTF8 { bytes in
            guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")) else { return .some(nil) }
            let suffix = UnsafeBufferPointer(rebasing: bytes[(dot + 1)...])
            guard dot != 0, suffix.allSatisfy({ $0 < 0x80 }) else { return nil }
            return String(unsafeUninitializedCapacity: suffix.count) { out in
                for (i, byte) in suffix.enumerated() {
                    out[i] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                }
                return suffix.count
            }
        }
        if let ascii {
            guard let ext = ascii else { return false }
            return extensions.contains(ext)
        }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return extensions.contains(name[name.index(after: dot)...].lowercased())
    }
}

/// The steps of following a symlink, independent of where the files live (a tree or a folder).
/// `Store` answers what is at a repository-relative path without following a final link.
protocol LinkResolvingStore {
    associatedtype Found
    func lookup(_ components: [String]) -> LinkLookup<Found>
}

enum LinkLookup<Found> {
    case file(Found)
    case directory
    case symlink(target: String)
    case submodule
    case missing
    case unsupported(String)
}

enum LinkResolution<Found> {
    case file(Found, physicalPath: [String])
    case directory(physicalPath: [String])
    case problem(EntryProblem)
}

enum LinkResolver {
    static let maxHops = 40

    /// Resolves `target` (a link's text) as seen from the directory `base`, following links at every
    /// step, refusing absolute targets and any `..` that climbs above the root.
    static func resolve<S: LinkResolvingStore>(target: String, from base: [String], in store: S) -> LinkResolution<S.Found> {
        if target.hasPrefix("/") { return .problem(.symlinkEscapesRoot(target: target)) }
        if target.isEmpty { return .problem(.symlinkDangling(target: target)) }
        var pending = target.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        pending.reverse()  // a stack: the next component is last
        var resolved = base
        var hops = 0
        while let part = pending.popLast() {
            if part == "." { continue }
            if part == ".." {
                if resolved.isEmpty { return .problem(.symlinkEscapesRoot(target: target)) }
                resolved.removeLast()
                continue
            }
            let candidate = resolved + [part]
            switch store.lookup(candidate) {
            case .missing:
                return .problem(.symlinkDangling(target: target))
            case .unsupported(let kind):
                return .problem(.unsupportedFileType(kind))
            case .submodule:
                return .problem(.symlinkToSubmodule(target: target))
            case .directory:
                resolved = candidate
            case .file(let found):
                if !pending.isEmpty { return .problem(.symlinkDangling(target: target)) }
                return .file(found, physicalPath: candidate)
            case .symlink(let next):
                hops += 1
                if hops > maxHops { return .problem(.symlinkLoop(target: target)) }
                if next.hasPrefix("/") { return .problem(.symlinkEscapesRoot(target: target)) }
                pending.append(contentsOf: next.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed())
            }
        }
        return .directory(physicalPath: resolved)
    }
}
