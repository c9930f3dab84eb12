import Crypto

/// One named token of the tokens file: its SHA-256 digest and what it may change.
public struct APIToken: Sendable, Hashable {
    /// Shown in the audit log and in refusals; never the token itself.
    public var name: String
    /// SHA-256 of the token's bytes (32 bytes).
    public var digest: [UInt8]
    /// Teams whose services the token may change (`metadata.owners`).
    public var owners: Set<String>
    /// May change every service, sync, and do global actions.
    public var admin: Bool

    public init(name: String, digest: [UInt8], owners: Set<String> = [], admin: Bool = false) {
        self.name = name
        self.digest = digest
        self.owners = owners
        self.admin = admin
    }

    /// The SHA-256 digest of a token as lowercase hex (what the tokens file's `sha256:` holds).
    public static func hexDigest(of token: some Sequence<UInt8>) -> String {
        Hex.encode(Array(SHA256.hash(data: Array(token))))
    }
}

/// Who made an API request, once authenticated.
struct Caller: Sendable, Hashable {
    /// The legacy `--token-file` token's name in the audit log.
    static let legacyTokenName = "token-file"

    var name: String
    var owners: Set<String>
    var admin: Bool
}

enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let hex = Array(text.utf8)
        guard hex.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(hex.count / 2)
        var index = 0
        while index < hex.count {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
