import Crypto

enum CanonicalHash {
    /// SHA-256 over length-prefixed (path, value) pairs in the given order, as lowercase hex.
    static func sha256Hex(_ fields: [CanonicalField]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.count * 48)
        for field in fields {
            appendLength(field.path.utf8.count, to: &bytes)
            bytes.append(contentsOf: field.path.utf8)
            appendLength(field.value.utf8.count, to: &bytes)
            bytes.append(contentsOf: field.value.utf8)
        }
        return sha256Hex(bytes: bytes)
    }

    static func sha256Hex(bytes: [UInt8]) -> String {
        sha256Hex(slice: bytes[...])
    }

    /// `sha256Hex(bytes:)` of part of an array, without copying it.
    static func sha256Hex(slice: ArraySlice<UInt8>) -> String {
        var hasher = SHA256()
        slice.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A 4-byte big-endian length: with it the encoding is unambiguous for any content.
    static func appendLength(_ count: Int, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: count).bigEndian) { bytes.append(contentsOf: $0) }
    }
}
