#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation

/// The agent-wide artifact cache shared by every executor on the agent:
/// `blobs/<content sha256>` (the files), `uris/<sha256 of the URI>` (which blob a URI gave last),
/// `locks/<sha256 of the URI>.lock` (one download per URI at a time, flock). Blob mtimes record use; past
/// `maxBytes` the least recently used blobs are deleted.
struct ArtifactCache: Sendable {
    let root: String
    let maxBytes: UInt64

    /// What `blob(for:)` did.
    enum Source: Equatable, Sendable { case cached, downloaded }

    struct Blob: Sendable {
        var path: String
        var bytes: UInt64
        var sha256: String
        var source: Source
    }

    init(root: String, maxBytes: UInt64) {
        self.root = root
        self.maxBytes = maxBytes
    }

    /// The cached content of `uri` (checked against `sha256` when given), downloading it under the URI's lock if
    /// no executor on this agent has. A content mismatch leaves nothing in the cache.
    func blob(for uri: String, sha256 expected: String?, onSize: (UInt64?) -> Void) throws(ExecutorFailure) -> Blob {
        try prepare()
        let key = Self.hex(SHA256.hash(data: Data(uri.utf8)))
        let lock = try FileLock(path: "\(root)/locks/\(key).lock")
        defer { lock.unlock() }
        let expected = expected?.lowercased()
        let known = expected ?? (try? String(contentsOfFile: "\(root)/uris/\(key)", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if let known, !known.isEmpty, let size = Self.size(of: "\(root)/blobs/\(known)") {
            touch("\(root)/blobs/\(known)")
            onSize(size)
            return Blob(path: "\(root)/blobs/\(known)", bytes: size, sha256: known, source: .cached)
        }
        let temporary = "\(root)/tmp/\(key).\(getpid()).part"
        defer { unlink(temporary) }
        let result = try Download.fetch(uri, to: temporary, onSize: onSize)
        if let expected, expected != result.sha256 {
            throw ExecutorFailure("sha256 mismatch for \(uri): expected \(expected), got \(result.sha256)")
        }
        let path = "\(root)/blobs/\(result.sha256)"
        guard rename(temporary, path) == 0 else {
            throw ExecutorFailure("cannot store \(uri) in the artifact cache: \(String(cString: strerror(errno)))")
        }
        try? result.sha256.write(toFile: "\(root)/uris/\(key)", atomically: true, encoding: .utf8)
        evict(keeping: path)
        return Blob(path: path, bytes: result.bytes, sha256: result.sha256, source: .downloaded)
    }

    /// Deletes least recently used blobs until the cache fits in `maxBytes` (never `keeping`).
    func evict(keeping: String) {
        guard let lock = try? FileLock(path: "\(root)/locks/evict.lock") else { return }
        defer { lock.unlock() }
        let folder = "\(root)/blobs"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        var entries: [(path: String, size: UInt64, used: Int)] = []
        for name in names {
            var info = stat()
            let path = "\(folder)/\(name)"
            guard stat(path, &info) == 0 else { continue }
            entries.append((path, UInt64(info.st_size), info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec))
        }
        var total = entries.reduce(0) { $0 + $1.size }
        for entry in entries.sorted(by: { $0.used < $1.used }) where total > maxBytes {
            guard entry.path != keeping else { continue }
            if unlink(entry.path) == 0 { total -= entry.size }
        }
    }

    private func prepare() throws(ExecutorFailure) {
        for folder in ["blobs", "uris", "locks", "tmp"] {
            do {
                try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
            } catch {
                throw ExecutorFailure("cannot create the artifact cache \(root): \(error.localizedDescription)")
            }
        }
    }

    private func touch(_ path: String) { utimensat(AT_FDCWD, path, nil, 0) }

    static func size(of path: String) -> UInt64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return UInt64(info.st_size)
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// An exclusive flock on a file, held until `unlock`.
struct FileLock: Sendable {
    let fd: Int32

    init(path: String) throws(ExecutorFailure) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ExecutorFailure("cannot open lock \(path): \(String(cString: strerror(errno)))") }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(fd)
                throw ExecutorFailure("cannot lock \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    func unlock() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
