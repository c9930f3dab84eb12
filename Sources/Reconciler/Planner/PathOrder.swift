#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte-wise (UTF-8) order of field paths, computed without sorting the fields themselves.
enum PathOrder {
    /// The indices of `paths` in byte-wise order (`String.utf8Precedes`), or nil when `paths` is
    /// already in that order (checked in one pass). The paths are copied into one buffer and only
    /// small indices move, compared with `memcmp`: far cheaper than sorting structs of strings.
    static func permutation<C: RandomAccessCollection>(_ paths: C) -> [Int]? where C.Element == String, C.Index == Int {
        let count = paths.count
        guard count > 1 else { return nil }
        var arena: [UInt8] = []
        arena.reserveCapacity(count * 32)
        // bounds[i] is where path i starts; bounds[i + 1] where it ends.
        var bounds: [Int] = []
        bounds.reserveCapacity(count + 1)
        bounds.append(0)
        var sorted = true
        for i in paths.indices {
            var path = paths[i]
            path.withUTF8 { arena.append(contentsOf: $0) }
            bounds.append(arena.count)
            if sorted, i > paths.startIndex {
                let k = bounds.count - 2
                sorted = !arena.withUnsafeBufferPointer { precedes($0, bounds, k, k - 1) }
            }
        }
        if sorted { return nil }
        var order = Array(0..<count)
        arena.withUnsafeBufferPointer { bytes in
            bounds.withUnsafeBufferPointer { bounds in
                order.sort { precedes(bytes, bounds, $0, $1) }
            }
        }
        return order
    }

    /// Whether path `a` sorts before path `b` (byte-wise; a prefix first).
    @inline(__always)
    private static func precedes<B: RandomAccessCollection>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ bounds: B, _ a: Int, _ b: Int
    ) -> Bool where B.Element == Int, B.Index == Int {
        let aStart = bounds[a], aCount = bounds[a + 1] - aStart
        let bStart = bounds[b], bCount = bounds[b + 1] - bStart
        let n = Swift.min(aCount, bCount)
        if n > 0, let base = bytes.baseAddress {
            let c = memcmp(base + aStart, base + bStart, n)
            if c != 0 { return c < 0 }
        }
        return aCount < bCount
    }
}
