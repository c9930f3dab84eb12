/// Masks values that look like secrets, so no plan, log or API answer shows them.
public enum SecretMasking {
    /// What a masked value shows as.
    public static let placeholder: FieldValue = .string("(sensitive)")

    static let markers = ["SECRET", "PASSWORD", "TOKEN", "KEY", "CREDENTIAL"]
    static let markerBytes = markers.map { Array($0.utf8) }

    /// True when an env key looks like a secret (SECRET, PASSWORD, TOKEN, KEY or CREDENTIAL, any case).
    public static func isSensitive(key: String) -> Bool {
        // ASCII keys (nearly all) are searched byte-wise; others go through Unicode upper-casing,
        // which can turn some non-ASCII letters into ASCII ones (e.g. U+017F into S).
        if key.utf8.allSatisfy({ $0 < 0x80 }) {
            let upper = key.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
            return markerBytes.contains { marker in
                upper.count >= marker.count && (0...(upper.count - marker.count)).contains { start in
                    upper[start..<(start + marker.count)].elementsEqual(marker)
                }
            }
        }
        let upper = key.uppercased()
        return markers.contains { upper.contains($0) }
    }

    /// True when a flattened field path is an env entry whose key looks like a secret, e.g.
    /// `spec.env.DB_PASSWORD` or `spec.container.docker.env.API_TOKEN`.
    public static func isSensitive(path: String) -> Bool {
        // Fast path: most fields are not env entries.
        guard containsEnvComponent(path) else { return false }
        let components = path.split(separator: ".", omittingEmptySubsequences: false)
        guard let envIndex = components.lastIndex(where: { $0 == "env" }),
              envIndex + 1 < components.count
        else { return false }
        let key = components[(envIndex + 1)...].joined(separator: ".")
        return isSensitive(key: key)
    }

    /// True when `path` contains `env.` (byte-wise: cheaper than a Character search).
    static func containsEnvComponent(_ path: String) -> Bool {
        var e = false, n = false, v = false
        for c in path.utf8 {
            if v && c == UInt8(ascii: ".") { return true }
            v = n && c == UInt8(ascii: "v")
            n = e && c == UInt8(ascii: "n")
            e = c == UInt8(ascii: "e")
        }
        return false
    }

    /// The value to show for a field.
    public static func masked(_ value: FieldValue?, path: String) -> FieldValue? {
        guard value != nil, isSensitive(path: path) else { return value }
        return placeholder
    }
}
