#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Manifests

/// The fields of a new workload, kept as its canonical byte stream until shown: a plan of 10,000
/// creates lists about 370,000 fields, and building a string and a `FieldChange` for each costs
/// far more than printing them straight from the bytes.
///
/// `fields` gives the same list as `FieldChange` values (what `Planner.createFields` gives for the
/// flattened fields); `withSortedFields` gives it as bytes, for output.
public struct CreateListing: Sendable {
    let workload: Workload

    /// Every field, sorted by path, sensitive values masked.
    public var fields: [FieldChange] { WorkloadState.createFields(workload) }

    /// Calls `body` with the fields in path order (byte-wise), typed and masked as in `fields`.
    public func withSortedFields<R>(_ body: (SortedFields) -> R) -> R {
        var bytes = workload.canonicalBytes
        Self.appendRecord(Planner.instancesPath, String(workload.spec.instances), to: &bytes)
        // Four numbers per field: path start, path end, value start, value end.
        var bounds: [Int32] = []
        bounds.reserveCapacity(160)
        return bytes.withUnsafeBufferPointer { all in
            var i = 0
            while i + 4 <= all.count {
                let pathStart = i + 4
                let pathEnd = pathStart + Self.length(all, at: i)
                let valueStart = pathEnd + 4
                let valueEnd = valueStart + Self.length(all, at: pathEnd)
                bounds.append(Int32(pathStart))
                bounds.append(Int32(pathEnd))
                bounds.append(Int32(valueStart))
                bounds.append(Int32(valueEnd))
                i = valueEnd
            }
            let count = bounds.count / 4
            return bounds.withUnsafeBufferPointer { bounds in
                let fields = SortedFields(bytes: all, bounds: bounds, order: [])
                return body(SortedFields(bytes: all, bounds: bounds, order: fields.pathOrder(count)))
            }
        }
    }

    /// A field's value as bytes: what `FieldValue` holds, or masked.
    public enum Value {
        case string(UnsafeBufferPointer<UInt8>)
        case number(UnsafeBufferPointer<UInt8>)
        case bool(Bool)
        /// A sensitive env value: shown as `SecretMasking.placeholder`.
        case masked
    }

    /// The fields of one create, in path order; valid only inside `withSortedFields`.
    public struct SortedFields {
        let bytes: UnsafeBufferPointer<UInt8>
        let bounds: UnsafeBufferPointer<Int32>
        let order: [Int]

        public var count: Int { order.count }

        /// The path of the `i`th field (in path order).
        public func path(_ i: Int) -> UnsafeBufferPointer<UInt8> { path(record: order[i]) }

        /// The value of the `i`th field, typed like `FieldValue(canonical:path:)`, masked like
        /// `SecretMasking.isSensitive(path:)`.
        public func value(_ i: Int) -> Value {
            let record = order[i]
            let path = path(record: record)
            if let keyStart = SecretMasking.envKeyStart(path),
               SecretMasking.isSensitive(keyBytes: UnsafeBufferPointer(rebasing: path[keyStart...])) {
                return .masked
            }
            let value = UnsafeBufferPointer(rebasing: bytes[Int(bounds[4 * record + 2])..<Int(bounds[4 * record + 3])])
            if FieldValue.isFreeText(bytes: path) { return .string(value) }
            if Self.equals(value, "true") { return .bool(true) }
            if Self.equals(value, "false") { return .bool(false) }
            return FieldValue.isNumber(bytes: value) ? .number(value) : .string(value)
        }

        func path(record: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[Int(bounds[4 * record])..<Int(bounds[4 * record + 1])])
        }

        /// The records' indices in path order. Each path's first 16 bytes, as two big-endian words,
        /// decide nearly every comparison (`spec.resources.c` against `spec.resources.m`); equal
        /// words fall back to the whole paths.
        func pathOrder(_ count: Int) -> [Int] {
            var keys: [(high: UInt64, low: UInt64, record: Int)] = []
            keys.reserveCapacity(count)
            var sorted = true
            for record in 0..<count {
                let path = path(record: record)
                let key = (Self.word(path, from: 0), Self.word(path, from: 8), record)
                if sorted, let last = keys.last, !Self.precedes(last, key, self) { sorted = false }
                keys.append(key)
            }
            if !sorted { keys.sort { Self.precedes($0, $1, self) } }
            return keys.map(\.record)
        }

        private static func precedes(
            _ a: (high: UInt64, low: UInt64, record: Int), _ b: (high: UInt64, low: UInt64, record: Int),
            _ fields: SortedFields
        ) -> Bool {
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            return fields.precedes(a.record, b.record)
        }

        /// Bytes `start..<start + 8` of `path` as a big-endian word, zero past the end: words compare
        /// as the bytes do (a tie, which a NUL byte can fake, is settled by the whole paths).
        @inline(__always)
        private static func word(_ path: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt64 {
            var word: UInt64 = 0
            let end = Swift.min(start + 8, path.count)
            var i = start
            while i < end {
                word |= UInt64(path[i]) << UInt64(8 * (7 - (i - start)))
                i += 1
            }
            return word
        }

        /// Whether record `a`'s path sorts before record `b`'s (byte-wise; a prefix first).
        func precedes(_ a: Int, _ b: Int) -> Bool {
            let x = path(record: a), y = path(record: b)
            let n = Swift.min(x.count, y.count)
            if n > 0, let p = x.baseAddress, let q = y.baseAddress {
                let c = memcmp(p, q, n)
                if c != 0 { return c < 0 }
            }
            return x.count < y.count
        }

        private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
            bytes.count == literal.utf8CodeUnitCount && memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0
        }
    }

    /// The 4-byte big-endian length at `i`.
    private static func length(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
    }

    private static func appendRecord(_ path: String, _ value: String, to bytes: inout [UInt8]) {
        for part in [path, value] {
            withUnsafeBytes(of: UInt32(part.utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: part.utf8)
        }
    }
}
