#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Mesos

/// Appends a stream's bytes to `<sandbox>/<name>` and rotates it by size: the full file is renamed away (so files
/// API readers see `stdout` shrink), a new one opened, and the old one becomes `<name>.1` (`<name>.1.gz`
/// compressed, in the background) while older ones shift up and those past `keep` are deleted.
///
/// Rotation happens only at a line boundary; a file grows past the limit to finish a line already started, and a
/// single line longer than the limit is cut into limit-sized pieces. Used by one writer thread at a time.
final class RotatingLog: @unchecked Sendable {  // @unchecked: written by one pump thread; `archiver` is serial.
    let path: String
    let policy: ExecutorTaskData.LogPolicy
    private let maxBytes: Int
    private var fd: Int32
    private var size: Int
    /// Bytes of the current, unterminated line already in the file.
    private var openLine = 0
    private var rotations = 0
    private let archiver: DispatchQueue
    private let pending = DispatchGroup()
    private(set) var writeErrors = 0

    /// Called (on the archiver queue) with each rotated piece, see `PieceHandler`.
    private let onPiece: PieceHandler?

    /// A rotated piece: `file` is a hard link made for the handler alone (it survives the shifts of
    /// `<name>.N`; the handler deletes it when done with it), `name` its stable name `<name>.<seq>[.gz]` with a
    /// zero-padded sequence number (`stdout.000001.gz`, the first rotation).
    typealias PieceHandler = @Sendable (_ file: String, _ name: String) -> Void

    init(path: String, policy: ExecutorTaskData.LogPolicy, onPiece: PieceHandler? = nil) throws {
        self.path = path
        self.policy = policy
        self.onPiece = onPiece
        maxBytes = max(4096, Int(policy.maxSizeMB * 1_048_576))
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ExecutorFailure("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        archiver = DispatchQueue(label: "converge.executor.rotate.\((path as NSString).lastPathComponent)")
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Appends bytes, rotating at line boundaries as the size limit requires.
    func write(_ chunk: UnsafeRawBufferPointer) {
        var bytes = chunk
        while !bytes.isEmpty {
            let room = maxBytes - size
            if bytes.count <= room {
                append(bytes)
                return
            }
            if openLine == 0 {
                // At a boundary: write the whole lines that fit, then rotate.
                if room > 0, let newline = Self.lastNewline(in: UnsafeRawBufferPointer(rebasing: bytes[0..<room])) {
                    append(UnsafeRawBufferPointer(rebasing: bytes[0...newline]))
                    bytes = UnsafeRawBufferPointer(rebasing: bytes[(newline + 1)...])
                    rotate()
                } else if size > 0 {
                    rotate()
                } else {
                    // An empty file and a first line longer than the limit: cut it.
                    append(UnsafeRawBufferPointer(rebasing: bytes[0..<maxBytes]))
                    bytes = UnsafeRawBufferPointer(rebasing: bytes[maxBytes...])
                    openLine = 0
                    rotate()
                }
            } else {
                // Inside a line: finish it in this file if it stays within the limit.
                let lineLeft = max(1, maxBytes - openLine)
                let window = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, lineLeft)])
                if let newline = window.firstIndex(of: UInt8(ascii: "\n")) {
                    append(UnsafeRawBufferPointer(rebasing: bytes[0...newline]))
                    bytes = UnsafeRawBufferPointer(rebasing: bytes[(newline + 1)...])
                } else if bytes.count < lineLeft {
                    append(bytes)
                    return
                } else {
                    append(window)
                    bytes = UnsafeRawBufferPointer(rebasing: bytes[lineLeft...])
                    openLine = 0
                    rotate()
                }
            }
        }
    }

    /// Waits (bounded) for background compression to finish.
    func flush(timeout: Double = 30) {
        _ = pending.wait(timeout: .now() + timeout)
    }

    private func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if !FileIO.writeAll(fd, bytes) { writeErrors += 1 }
        size += bytes.count
        if let last = Self.lastNewline(in: bytes) {
            openLine = bytes.count - 1 - last
        } else {
            openLine += bytes.count
        }
    }

    private func rotate() {
        rotations += 1
        let folder = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
        let staged = "\(folder)/.\(name).rotating.\(rotations)"
        if rename(path, staged) != 0 { writeErrors += 1 }
        close(fd)
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        size = 0
        openLine = 0
        let path = self.path, policy = self.policy, sequence = rotations, onPiece = self.onPiece
        archiver.async(group: pending) { Self.archive(staged, as: path, policy: policy, sequence: sequence, onPiece: onPiece) }
    }

    /// Compresses `staged` when the policy says so, hands it to `onPiece` (as a hard link), then shifts
    /// `<path>.N[.gz]` up by one, drops those past `keep`, and makes the piece `<path>.1[.gz]`.
    private static func archive(_ staged: String, as path: String, policy: ExecutorTaskData.LogPolicy, sequence: Int,
                                onPiece: PieceHandler?) {
        var piece = staged
        var suffix = ""
        if policy.compress {
            let temporary = "\(staged).gz"
            do {
                try Gzip.compress(file: staged, to: temporary)
                unlink(staged)
                piece = temporary
                suffix = ".gz"
            } catch {
                // Keep the bytes uncompressed rather than lose them.
                unlink(temporary)
            }
        }
        if let onPiece {
            let folder = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
            let stable = "\(name).\(String(format: "%06d", sequence))\(suffix)"
            let linked = "\(folder)/.\(stable)"
            if link(piece, linked) == 0 { onPiece(linked, stable) }
        }
        let keep = max(0, policy.keep)
        guard keep > 0 else {
            unlink(piece)
            return
        }
        for old in [".gz", ""] { unlink("\(path).\(keep)\(old)") }
        if keep > 1 {
            for index in stride(from: keep - 1, through: 1, by: -1) {
                for old in [".gz", ""] { rename("\(path).\(index)\(old)", "\(path).\(index + 1)\(old)") }
            }
        }
        rename(piece, "\(path).1\(suffix)")
    }

    static func lastNewline(in bytes: UnsafeRawBufferPointer) -> Int? {
        var index = bytes.count - 1
        while index >= 0 {
            if bytes[index] == UInt8(ascii: "\n") { return index }
            index -= 1
        }
        return nil
    }
}
