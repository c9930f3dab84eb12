import Foundation
import Synchronization

/// The tokens file, parsed again only when it changes on disk (checked with one `stat` per request),
/// so a rotated token takes effect at the next request without a restart.
final class TokensFileCache: Sendable {
    enum Loaded {
        case tokens(TokensFile)
        /// The file cannot be read or is invalid: its tokens are refused (fail closed).
        case invalid(String)
    }

    private struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
        /// Changed by chmod too: a file made readable again is read again.
        var changedSeconds: Int
        var changedNanoseconds: Int
    }

    let path: String
    private let current = Mutex<(identity: Identity?, loaded: Loaded)?>(nil)

    init(path: String) {
        self.path = path
    }

    /// The file's tokens as of now; `changed` is true when this call (re)loaded it (log it once).
    func load() -> (loaded: Loaded, changed: Bool) {
        let identity = Self.identity(path)
        if let cached = current.withLock({ $0 }), let identity, cached.identity == identity {
            return (cached.loaded, false)
        }
        let loaded: Loaded
        if identity == nil {
            loaded = .invalid("\(path): cannot read the tokens file")
        } else {
            do {
                loaded = .tokens(try TokensFile.load(path))
            } catch {
                loaded = .invalid(String(describing: error))
            }
        }
        let changed = current.withLock { value -> Bool in
            let wasSame = value.map { $0.identity == identity } ?? false
            value = (identity, loaded)
            return !wasSame
        }
        return (loaded, changed)
    }

    private static func identity(_ path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                        modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec),
                        changedSeconds: Int(info.st_ctim.tv_sec), changedNanoseconds: Int(info.st_ctim.tv_nsec))
    }
}
