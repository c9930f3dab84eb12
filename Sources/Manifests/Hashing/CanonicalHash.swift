import Crypto

enum CanonicalHash {
    /// SHA-256 over length-prefixed (path, value) pairs in the given order, as lowercase hex.
    static func sha256Hex(_ fields: [CanonicalField]) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(fields.count * 48)
        for field in fields {
            append(field.path, to: &buffer)
            append(field.value, to: &buffer)
        }
        let digest = SHA256.hash(data: buffer)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A 4-byte big-endian length, then the UTF-8 bytes: unambiguous for any content.
    private static func append(_ string: String, to buffer: inout [UInt8]) {
        let utf8 = string.utf8
        let count = UInt32(utf8.count)
        buffer.append(UInt8(count >> 24))
        buffer.append(UInt8((count >> 16) & 0xFF))
        buffer.append(UInt8((count >> 8) & 0xFF))
        buffer.append(UInt8(count & 0xFF))
        buffer.append(contentsOf: utf8)
    }
}
