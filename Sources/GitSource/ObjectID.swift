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
///
/// Kept as the hash's 20 bytes (three integers, most significant first), not as text: a listing
/// hashes and compares one per file, and caches are keyed by them. `hex` spells it out.
public struct BlobID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    public init?(hex: String) {
        guard let normalized = ObjectHex.normalizedFull(hex) else { return nil }
        self.init(oid: ObjectHex.parse(normalized))
    }

    init(oid: git_oid) {
        var oid = oid
        (high, middle, low) = withUnsafeBytes(of: &oid.id) { raw in
            (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
             UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
        }
    }

    public var hex: String { ObjectHex.format(oid) }
    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }
    public static func < (a: BlobID, b: BlobID) -> Bool { (a.high, a.middle, a.low) < (b.high, b.middle, b.low) }

    var oid: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { raw in
            raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: middle.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: low.bigEndian, toByteOffset: 16, as: UInt32.self)
        }
        return oid
    }

    /// git's blob id of `bytes` (`git hash-object`), computed without a repository.
    public static func of(_ bytes: [UInt8]) -> BlobID {
        LibGit2.ensureInitialized()
        var oid = git_oid()
        _ = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        return BlobID(oid: oid)
    }

    // Encoded as before, when the id was stored as text: `{"hex": "..."}`.
    private enum CodingKeys: String, CodingKey { case hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .hex)
        guard let id = BlobID(hex: text) else {
            throw DecodingError.dataCorruptedError(forKey: .hex, in: container, debugDescription: "not a 40-digit blob id: \(text)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hex, forKey: .hex)
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
