/// Converge names (DNS labels) for Singularity request ids, which may hold upper case, '_', '.',
/// '/' and more. Deterministic: the same set of ids always gives the same names.
public enum Naming {
    /// `id` lowercased, every run of other characters than [a-z0-9] turned into one '-', trimmed of
    /// '-', at most 63 characters ("request" if nothing is left).
    public static func sanitize(_ id: String) -> String {
        var out: [UInt8] = []
        for byte in id.lowercased().utf8 {
            let keep = (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
            if keep {
                out.append(byte)
            } else if out.last != 45 {
                out.append(45)
            }
        }
        while out.first == 45 { out.removeFirst() }
        while out.last == 45 { out.removeLast() }
        if out.isEmpty { return "request" }
        if out.count > 63 {
            // Keep it unique among long ids sharing a prefix: 54 characters, '-', 8 hex of the id's hash.
            out = Array(out.prefix(54))
            while out.last == 45 { out.removeLast() }
            return String(decoding: out, as: UTF8.self) + "-" + hash8(id)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A unique name for every id. An id that sanitizes to a name another id also gets keeps it if
    /// it is that name already, else the smallest such id keeps it; the others get `-` and 8 hex of
    /// their own hash (cut to stay within 63).
    public static func assign(_ ids: [String]) -> [String: String] {
        var groups: [String: [String]] = [:]
        for id in Set(ids) { groups[sanitize(id), default: []].append(id) }
        var names: [String: String] = [:]
        var taken = Set(groups.keys)
        for base in groups.keys.sorted() {
            let members = groups[base]!.sorted()
            let keeper = members.first { $0 == base } ?? members[0]
            names[keeper] = base
            for id in members where id != keeper {
                var stem = String(base.prefix(54))
                while stem.hasSuffix("-") { stem.removeLast() }
                var candidate = stem + "-" + hash8(id)
                var salt = 1
                while taken.contains(candidate) {
                    candidate = stem + "-" + hash8(id + "#\(salt)")
                    salt += 1
                }
                taken.insert(candidate)
                names[id] = candidate
            }
        }
        return names
    }

    /// A folder name for an owner: the part before '@' of an e-mail address, sanitized.
    public static func folder(forOwner owner: String?) -> String {
        guard let owner, !owner.isEmpty else { return "unowned" }
        let local = owner.split(separator: "@", maxSplits: 1).first.map(String.init) ?? owner
        let name = sanitize(local)
        return name == "request" ? "unowned" : name
    }

    /// 8 hex digits of 64-bit FNV-1a over the UTF-8 bytes: stable across runs and machines.
    static func hash8(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash >> 32, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
