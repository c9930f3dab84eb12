/// Checks that bytes are a UTF-8 text file before libyaml sees them.
enum TextCheck {
    enum Problem: Equatable {
        case tooLarge(Int)
        case binary(line: Int, column: Int)
        case invalidUTF8(line: Int, column: Int)
    }

    /// Returns the first problem, or nil for a valid UTF-8 text file.
    static func check(_ bytes: [UInt8]) -> Problem? {
        if bytes.count > YAMLLimits.maxFileBytes { return .tooLarge(bytes.count) }
        // Nearly every manifest is ASCII without NUL: confirm that eight bytes at a time, and only
        // otherwise walk the bytes one by one (keeping lines and columns for the message).
        if isPlainASCII(bytes) { return nil }
        return bytes.withUnsafeBufferPointer { buf -> Problem? in
            var i = 0
            let n = buf.count
            var line = 1
            var lineStart = 0
            while i < n {
                let b = buf[i]
                if b < 0x80 {
                    if b == 0 { return .binary(line: line, column: i - lineStart + 1) }
                    if b == 0x0A { line += 1; lineStart = i + 1 }
                    i += 1
                    continue
                }
                let length: Int
                var minimum: UInt32
                var scalar: UInt32
                switch b {
                case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
                case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
                case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
                default: return .invalidUTF8(line: line, column: i - lineStart + 1)
                }
                if i + length > n { return .invalidUTF8(line: line, column: i - lineStart + 1) }
                for k in 1..<length {
                    let c = buf[i + k]
                    if c & 0xC0 != 0x80 { return .invalidUTF8(line: line, column: i - lineStart + 1) }
                    scalar = scalar << 6 | UInt32(c & 0x3F)
                }
                if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                    return .invalidUTF8(line: line, column: i - lineStart + 1)
                }
                i += length
            }
            return nil
        }
    }

    /// True when every byte is ASCII and none is NUL.
    static func isPlainASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw -> Bool in
            let count = raw.count
            var i = 0
            let high: UInt64 = 0x8080_8080_8080_8080
            let ones: UInt64 = 0x0101_0101_0101_0101
            while i + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                // A high bit set, or a zero byte (the classic "has a zero byte" test).
                if word & high != 0 || (word &- ones) & ~word & high != 0 { return false }
                i += 8
            }
            while i < count {
                let byte = raw[i]
                if byte == 0 || byte >= 0x80 { return false }
                i += 1
            }
            return true
        }
    }
}
