import Foundation

/// Turns SUBSCRIBE stream bytes into events: RecordIO framing, then JSON.
///
/// `next()` throws `RecordIOError` for broken framing (the stream is unusable) and
/// `EventStreamDecoder.UndecodableEvent` for one bad record (already consumed; keep reading).
public struct EventStreamDecoder {
    private var records: RecordIODecoder
    private let json = MesosJSON.makeDecoder()

    public struct UndecodableEvent: Error, CustomStringConvertible {
        public var byteCount: Int
        public var underlying: any Error
        public var description: String { "Undecodable event (\(byteCount) bytes): \(underlying)" }
    }

    public init(maxRecordSize: Int = RecordIODecoder.defaultMaxRecordSize) {
        records = RecordIODecoder(maxRecordSize: maxRecordSize)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) { records.append(bytes) }

    public mutating func append(_ bytes: some Sequence<UInt8>) { records.append(bytes) }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() throws -> Event? {
        guard let record = try records.next() else { return nil }
        do {
            return try json.decode(Event.self, from: record)
        } catch {
            throw UndecodableEvent(byteCount: record.count, underlying: error)
        }
    }
}
