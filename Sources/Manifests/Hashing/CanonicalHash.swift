import Crypto

enum CanonicalHash {
    /// SHA-256 over length-prefixed (path, value) pairs in the given order, as lowercase hex.
    static func sha256Hex(_ fields: [CanonicalField]) -> String {
        var hasher = SHA256()
        for field in fields {
            append(field.path, to: &hasher)
            append(field.value, to: &hasher)
        }
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

    private static func append(_ string: String, to hasher: inout SHA256) {
        var s = string
        s.withUTF8 { bytes in
            var length = UInt32(bytes.count).bigEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        }
    }
}
