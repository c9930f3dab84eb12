import Reconciler

/// Output built as UTF-8 bytes in one growing buffer: a plan of 10,000 creates is about 9 MB of
/// text in about 1.5 million small pieces, which `String` or `[UInt8]` appends (each with its
/// uniqueness and capacity checks) make several times slower to build than a plain copy.
/// Noncopyable: it owns its memory, freed when it goes away (`finish()` hands the bytes over).
struct OutputBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 256)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written, handed over without a copy (a plan's JSON is tens of megabytes).
    consuming func finish() -> OutputChunk {
        let chunk = OutputChunk(base: base, count: count)
        discard self
        return chunk
    }

    /// Room for `n` more bytes.
    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private mutating func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(bytes other: UnsafeBufferPointer<UInt8>) {
        guard let source = other.baseAddress, !other.isEmpty else { return }
        reserve(other.count)
        (base + count).update(from: source, count: other.count)
        count += other.count
    }

    @inline(__always)
    mutating func append(_ s: StaticString) {
        append(bytes: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { append(bytes: $0) }
    }

    mutating func append(_ n: Int) { append(String(n)) }


    /// `s` as a JSON string literal, quotes included: the bytes `JSONString.append` produces (every
    /// escaped character is ASCII, so escaping byte by byte equals escaping scalar by scalar).
    mutating func appendJSONString(_ s: String) {
        var s = s
        s.withUTF8 { appendJSONString(bytes: $0) }
    }

    /// `appendJSONString` for UTF-8 bytes.
    mutating func appendJSONString(bytes utf8: UnsafeBufferPointer<UInt8>) {
        append(byte: UInt8(ascii: "\""))
        var clean = 0
        for (i, byte) in utf8.enumerated() where Self.needsEscape(byte) {
            append(bytes: UnsafeBufferPointer(rebasing: utf8[clean..<i]))
            clean = i + 1
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            default:
                append("\\u00")
                append(byte: Self.hex[Int(byte >> 4)])
                append(byte: Self.hex[Int(byte & 0x0F)])
            }
        }
        append(bytes: UnsafeBufferPointer(rebasing: utf8[clean...]))
        append(byte: UInt8(ascii: "\""))
    }

    /// A create's field value as text and markdown show it (`FieldValue.display`).
    mutating func appendDisplay(_ value: CreateListing.Value) {
        switch value {
        case .string(let s): appendJSONString(bytes: s)
        case .number(let n): append(bytes: n)
        case .bool(let b): append(b ? "true" : "false")
        case .masked: append("\"(sensitive)\"")
        }
    }

    /// A field value as text and markdown show it (`FieldValue.display`); `(none)` when absent.
    mutating func appendDisplay(_ value: FieldValue?) {
        switch value {
        case .string(let s)?: appendJSONString(s)
        case .number(let n)?: append(n)
        case .bool(let b)?: append(b ? "true" : "false")
        case .null?: append("null")
        case nil: append("(none)")
        }
    }

    /// `body` between the ANSI codes of `color` (e.g. "32"), or bare when `style` is off: what
    /// `Style.green(_:)` and the like produce.
    @inline(__always)
    mutating func styled(_ color: StaticString, _ style: Style, _ body: (inout OutputBytes) -> Void) {
        if style.enabled {
            append("\u{1B}[")
            append(color)
            append("m")
        }
        body(&self)
        if style.enabled { append("\u{1B}[0m") }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}

/// Finished output bytes, owned until the chunk goes away.
///
/// `@unchecked Sendable` is safe: the bytes are only read after the chunk is made (its memory was
/// written by the one `OutputBytes` that handed it over), and freed once, in `deinit`.
final class OutputChunk: @unchecked Sendable {
    private let base: UnsafeMutablePointer<UInt8>
    let count: Int

    fileprivate init(base: UnsafeMutablePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    deinit { base.deallocate() }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
