#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Masks values that look like secrets, so no plan, log or API answer shows them.
public enum SecretMasking {
    /// What a masked value shows as.
    public static let placeholder: FieldValue = .string("(sensitive)")

    static let markers = ["SECRET", "PASSWORD", "TOKEN", "KEY", "CREDENTIAL"]

    /// True when an env key looks like a secret (SECRET, PASSWORD, TOKEN, KEY or CREDENTIAL, any case).
    public static func isSensitive(key: String) -> Bool {
        var key = key
        return key.withUTF8 { isSensitive(keyBytes: $0) }
    }

    /// `isSensitive(key:)` over a key's UTF-8 bytes. ASCII keys (nearly all) are searched byte-wise
    /// without allocating; others go through Unicode upper-casing, which can turn some non-ASCII
    /// letters into ASCII ones (e.g. U+017F into S).
    static func isSensitive(keyBytes key: UnsafeBufferPointer<UInt8>) -> Bool {
        var ascii = true
        for byte in key where byte >= 0x80 { ascii = false; break }
        if !ascii {
            let upper = String(decoding: key, as: UTF8.self).uppercased()
            return markers.contains { upper.contains($0) }
        }
        let count = key.count
        guard count >= 3 else { return false }
        // Each marker starts with a distinct letter (S, P, T, K, C): one pass, one check per byte.
        for start in 0...(count - 3) {
            switch upper(key[start]) {
            case UInt8(ascii: "S"): if matches(key, at: start, "SECRET") { return true }
            case UInt8(ascii: "P"): if matches(key, at: start, "PASSWORD") { return true }
            case UInt8(ascii: "T"): if matches(key, at: start, "TOKEN") { return true }
            case UInt8(ascii: "K"): if matches(key, at: start, "KEY") { return true }
            case UInt8(ascii: "C"): if matches(key, at: start, "CREDENTIAL") { return true }
            default: break
            }
        }
        return false
    }

    @inline(__always)
    private static func upper(_ byte: UInt8) -> UInt8 {
        byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
    }

    /// Whether `marker` (upper-case ASCII) occurs in `key` at `start`, ignoring ASCII case.
    private static func matches(_ key: UnsafeBufferPointer<UInt8>, at start: Int, _ marker: StaticString) -> Bool {
        let n = marker.utf8CodeUnitCount
        guard start + n <= key.count else { return false }
        let m = marker.utf8Start
        for i in 0..<n where upper(key[start + i]) != m[i] { return false }
        return true
    }

    /// True when a flattened field path is an env entry whose key looks like a secret, e.g.
    /// `spec.env.DB_PASSWORD` or `spec.container.docker.env.API_TOKEN`: the key is what follows the
    /// last `env` component (`a.env.b.env.C` has key `C`; a path ending in an `env` component has none).
    public static func isSensitive(path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            guard let keyStart = envKeyStart(bytes) else { return false }
            return isSensitive(keyBytes: UnsafeBufferPointer(rebasing: bytes[keyStart...]))
        }
    }

    /// Where the key after the last `env` component starts; nil when no component is `env`, or the
    /// last one is the path's final component. Byte-wise, no allocation.
    static func envKeyStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var lastEnvEnd = -1
        // Every `env` component ends in a `v`, which few paths have: find them with memchr and
        // check the bytes around each.
        var from = 0
        while from < count, let found = memchr(base + from, Int32(UInt8(ascii: "v")), count - from) {
            let v = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if v >= 2, bytes[v - 1] == UInt8(ascii: "n"), bytes[v - 2] == UInt8(ascii: "e"),
               v == 2 || bytes[v - 3] == UInt8(ascii: "."), v + 1 == count || bytes[v + 1] == UInt8(ascii: ".") {
                lastEnvEnd = v + 1
            }
            from = v + 1
        }
        guard lastEnvEnd >= 0, lastEnvEnd < count else { return nil }
        return lastEnvEnd + 1
    }

    /// The value to show for a field.
    public static func masked(_ value: FieldValue?, path: String) -> FieldValue? {
        guard value != nil, isSensitive(path: path) else { return value }
        return placeholder
    }
}
