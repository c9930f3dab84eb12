import Foundation

/// Splits a RecordIO byte stream (`<decimal length>\n<bytes>` repeated) into records.
///
/// Feed chunks as they arrive, in any split; each call returns the records completed so far.
/// A length that is not decimal digits, longer than 20 digits, or over `maxRecordSize` is an error,
/// after which the decoder stays failed (the stream cannot be resynchronised).
public struct RecordIODecoder: Sendable {
    /// Default cap on one record: 64 MiB (an OFFERS event for thousands of agents stays far below).
    public static let defaultMaxRecordSize = 64 << 20

    public let maxRecordSize: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// The length of the record being read, once its header is complete.
    private var pendingLength: Int?
    private var failure: RecordIOError?

    public init(maxRecordSize: Int = RecordIODecoder.defaultMaxRecordSize) {
        self.maxRecordSize = maxRecordSize
    }

    /// Bytes buffered and not yet returned as a record.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Appends a chunk and returns every record it completes.
    public mutating func decode(_ chunk: some Sequence<UInt8>) throws -> [Data] {
        append(chunk)
        var records: [Data] = []
        while let record = try next() { records.append(record) }
        return records
    }

    /// Appends bytes without decoding.
    public mutating func append(_ chunk: some Sequence<UInt8>) {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: chunk)
    }

    /// Appends raw bytes (from a C callback) without decoding.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        append(bytes.bindMemory(to: UInt8.self))
    }

    /// The next complete record, or nil when more bytes are needed.
    public mutating func next() throws -> Data? {
        if let failure { throw failure }
        while true {
            if pendingLength == nil {
                guard let length = try readHeader() else { return nil }
                if length == 0 { continue }  // Mesos never sends empty records; skip one if it comes.
                pendingLength = length
            }
            let length = pendingLength!
            guard buffer.count - readIndex >= length else { return nil }
            let record = buffer.withUnsafeBufferPointer { Data($0[readIndex..<(readIndex + length)]) }
            readIndex += length
            pendingLength = nil
            return record
        }
    }

    private mutating func readHeader() throws -> Int? {
        var length = 0
        var index = readIndex
        while index < buffer.count {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\n") {
                guard index > readIndex else { return try fail(.malformedLength("empty length line")) }
                readIndex = index + 1
                return length
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                let shown = byte >= 0x20 && byte < 0x7f ? "'\(Character(UnicodeScalar(byte)))'" : "byte \(byte)"
                return try fail(.malformedLength("unexpected \(shown) in record length"))
            }
            guard index - readIndex < 20 else { return try fail(.malformedLength("record length has over 20 digits")) }
            let (times10, overflow1) = length.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return try fail(.malformedLength("record length overflows")) }
            length = sum
            guard length <= maxRecordSize else { return try fail(.recordTooLarge(length: length, max: maxRecordSize)) }
            index += 1
        }
        return nil
    }

    private mutating func fail(_ error: RecordIOError) throws -> Int? {
        failure = error
        throw error
    }
}

/// A RecordIO stream that cannot be decoded.
public enum RecordIOError: Error, Hashable, Sendable, CustomStringConvertible {
    case malformedLength(String)
    case recordTooLarge(length: Int, max: Int)

    public var description: String {
        switch self {
        case .malformedLength(let detail): return "Malformed RecordIO stream: \(detail)"
        case .recordTooLarge(let length, let max):
            return "RecordIO record of \(length) bytes exceeds the \(max) byte limit"
        }
    }
}
