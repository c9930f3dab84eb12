import Foundation
import Hummingbird

/// File reads and listings in an agent's sandbox, shared by `/files/*` and the v1 `READ_FILE`/`LIST_FILES`.
enum SandboxFile {
    /// The agent caps a read at 16 pages.
    static let maxRead: Int64 = 16 * 4096

    struct Chunk {
        var data: [UInt8]
        var size: Int64
    }

    enum Failure: Error {
        case directory
        case cannotOpen(String)

        func response(verb: String) -> Response {
            switch self {
            case .directory: return FilesReply.text(.badRequest, "Cannot \(verb) a directory.\n")
            case .cannotOpen(let path): return FilesReply.text(.internalServerError, "Failed to open file at '\(path)'.\n")
            }
        }
    }

    /// Reads from `offset` (nil: the end, the size trick) at most `length` bytes (nil: to the end), capped.
    static func read(_ path: String, offset: Int64?, length: Int64?) -> Result<Chunk, Failure> {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return .failure(.directory) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.cannotOpen(path)) }
        defer { close(fd) }
        let size = Int64(lseek(fd, 0, SEEK_END))
        let start = offset ?? size
        let wanted = min(length ?? (size - start), maxRead)
        guard start < size, wanted > 0 else { return .success(Chunk(data: [], size: size)) }
        var data = [UInt8](repeating: 0, count: Int(wanted))
        var filled = 0
        while filled < data.count {
            let count = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(start) + off_t(filled)) }
            if count <= 0 { break }
            filled += count
        }
        data.removeLast(data.count - filled)
        return .success(Chunk(data: data, size: size))
    }

    struct Info {
        var path: String
        var size: Int64
        var mode: UInt32
        var nlink: Int64
        var mtime: Int64
        var mtimeNanos: Int64
        var uid: String
        var gid: String

        /// `ls -l` style, as `/files/browse` shows it.
        var modeString: String {
            let type: Character
            switch mode & UInt32(S_IFMT) {
            case UInt32(S_IFDIR): type = "d"
            case UInt32(S_IFLNK): type = "l"
            case UInt32(S_IFCHR): type = "c"
            case UInt32(S_IFBLK): type = "b"
            case UInt32(S_IFIFO): type = "p"
            case UInt32(S_IFSOCK): type = "s"
            default: type = "-"
            }
            let letters: [Character] = ["r", "w", "x"]
            var text = String(type)
            for bit in 0..<9 { text.append(mode & (1 << UInt32(8 - bit)) != 0 ? letters[bit % 3] : "-") }
            return text
        }
    }

    /// The entries of a directory sorted by path, each shown under `shownAs` (the requested path); a file
    /// lists as nothing, as the agent answers.
    static func list(_ real: String, shownAs requested: String) -> [Info] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: real) else { return [] }
        let base = requested.hasSuffix("/") ? requested : requested + "/"
        return names.sorted().compactMap { name in
            var info = stat()
            guard stat(real + "/" + name, &info) == 0 else { return nil }
            return Info(path: base + name, size: Int64(info.st_size), mode: UInt32(info.st_mode), nlink: Int64(info.st_nlink),
                        mtime: Int64(info.st_mtim.tv_sec), mtimeNanos: Int64(info.st_mtim.tv_sec) * 1_000_000_000,
                        uid: userName(info.st_uid), gid: groupName(info.st_gid))
        }
    }

    private static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return String(uid) }
        return String(cString: name)
    }

    private static func groupName(_ gid: gid_t) -> String {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return String(gid) }
        return String(cString: name)
    }
}
