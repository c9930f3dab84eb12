import CGit2

/// The sha of a commit, as 40 lowercase hex digits.
public struct CommitID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let hex: String

    /// Accepts a full 40-digit sha (any case); nil for anything else.
    public init?(hex: String) {
        guard let normalized = ObjectHex.normalizedFull(hex) else { return nil }
        self.hex = normalized
    }

    init(oid: git_oid) { hex = ObjectHex.format(oid) }

    /// The first 12 digits, for messages.
    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }
    public static func < (a: CommitID, b: CommitID) -> Bool { a.hex < b.hex }

    var oid: git_oid { ObjectHex.parse(hex) }
}

/// The id of a blob (file contents): git's blob hash, 40 lowercase hex digits. A file in a working
/// tree read by `DirectorySource` has the same id as the same bytes committed.
public struct BlobID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let hex: String

    public init?(hex: String) {
        guard let normalized = ObjectHex.normalizedFull(hex) else { return nil }
        self.hex = normalized
    }

    init(oid: git_oid) { hex = ObjectHex.format(oid) }

    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }
    public static func < (a: BlobID, b: BlobID) -> Bool { a.hex < b.hex }

    var oid: git_oid { ObjectHex.parse(hex) }

    /// git's blob id of `bytes` (`git hash-object`), computed without a repository.
    public static func of(_ bytes: [UInt8]) -> BlobID {
        LibGit2.ensureInitialized()
        var oid = git_oid()
        _ = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        return BlobID(oid: oid)
    }
}

enum ObjectHex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    static func format(_ oid: git_oid) -> String {
        withUnsafeBytes(of: oid.id) { raw in
            String(unsafeUninitializedCapacity: 40) { out in
                for (i, byte) in raw.enumerated() {
                    out[2 * i] = digits[Int(byte >> 4)]
                    out[2 * i + 1] = digits[Int(byte & 0x0f)]
                }
                return 40
            }
        }
    }

    /// Only called on validated 40-digit hex.
    static func parse(_ hex: String) -> git_oid {
        var oid = git_oid()
        _ = hex.withCString { git_oid_fromstrn(&oid, $0, 40) }
        return oid
    }

    static func isHex(_ s: some StringProtocol) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
    }

    static func normalizedFull(_ s: String) -> String? {
        guard s.utf8.count == 40, isHex(s) else { return nil }
        return s.lowercased()
    }
}
