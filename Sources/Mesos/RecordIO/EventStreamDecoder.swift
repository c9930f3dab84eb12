import Foundation

/// Turns SUBSCRIBE stream bytes into events: RecordIO framing, then JSON.
///
/// `next()` throws `RecordIOError` for broken framing (the stream is unusable) and
/// `EventStreamDecoder.UndecodableEvent` for one bad record (already consumed; keep reading).
public struct EventStreamDecoder {
    private var records: RecordIODecoder
    private let json = MesosJSON.makeDecoder()
    private let fastPath: Bool

    public struct UndecodableEvent: Error, CustomStringConvertible {
        public var byteCount: Int
        public var underlying: any Error
        public var description: String { "Undecodable event (\(byteCount) bytes): \(underlying)" }
    }

    /// `fastPath` decodes UPDATE and HEARTBEAT events with a hand-written parser (falling back to
    /// `JSONDecoder` for anything unusual); turn it off only to compare.
    public init(maxRecordSize: Int = RecordIODecoder.defaultMaxRecordSize, fastPath: Bool = true) {
        records = RecordIODecoder(maxRecordSize: maxRecordSize)
        self.fastPath = fastPath
    }

    /// The next complete record without decoding it (for measurements).
    public mutating func nextRecord() throws -> Data? { try records.next() }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) { records.append(bytes) }

    public mutating func append(_ bytes: some Sequence<UInt8>) { records.append(bytes) }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() throws -> Event? {
        guard let record = try records.next() else { return nil }
        if fastPath, let event = FastEventDecoding.decode(record) { return event }
        do {
            return try json.decode(Event.self, from: record)
        } catch {
            throw UndecodableEvent(byteCount: record.count, underlying: error)
        }
    }
}
