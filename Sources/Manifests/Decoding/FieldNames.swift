#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The field names a mapping may have, with their UTF-8 bytes laid out for matching a key's bytes
/// without building a string for it. Made once per mapping shape (static constants).
struct FieldNames: Sendable, ExpressibleByArrayLiteral {
    let names: [String]
    private let bytes: [UInt8]
    private let ranges: [Range<Int>]

    init(arrayLiteral names: String...) {
        self.init(names)
    }

    init(_ names: [String]) {
        self.names = names
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for name in names {
            let start = bytes.count
            bytes.append(contentsOf: name.utf8)
            ranges.append(start..<bytes.count)
        }
        self.bytes = bytes
        self.ranges = ranges
    }

    /// The index of the name spelled by `key`, or nil.
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { all in
            for (n, range) in ranges.enumerated() where range.count == key.count {
                if range.isEmpty || memcmp(all.baseAddress! + range.lowerBound, key.baseAddress!, range.count) == 0 {
                    return n
                }
            }
            return nil
        }
    }
}
