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
