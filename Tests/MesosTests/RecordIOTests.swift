import Foundation
import Testing
@testable import Mesos

@Suite("RecordIO")
struct RecordIOTests {
    let records: [String] = [
        #"{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"F"}}}"#,
        #"{"type":"HEARTBEAT"}"#,
        String(repeating: "x", count: 1000),
        "é✓ unicode",
        "1",
    ]

    var stream: Data {
        var data = Data()
        for record in records { RecordIOEncoder.append(Array(record.utf8), to: &data) }
        return data
    }

    @Test func encodesLengthNewlineBytes() {
        #expect(RecordIOEncoder.encode(Array(#"{"type":"HEARTBEAT"}"#.utf8)) == Data("20\n{\"type\":\"HEARTBEAT\"}".utf8))
    }

    @Test func decodesByteByByte() throws {
        var decoder = RecordIODecoder()
        var out: [String] = []
        for byte in stream {
            out += try decoder.decode([byte]).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(out == records)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func decodesManyRecordsInOneChunk() throws {
        var decoder = RecordIODecoder()
        let out = try decoder.decode(stream).map { String(decoding: $0, as: UTF8.self) }
        #expect(out == records)
    }

    @Test func decodesEverySplitPoint() throws {
        let bytes = Array(stream)
        for split in 0...bytes.count {
            var decoder = RecordIODecoder()
            var out = try decoder.decode(bytes[..<split])
            out += try decoder.decode(bytes[split...])
            #expect(out.map { String(decoding: $0, as: UTF8.self) } == records, "split at \(split)")
        }
    }

    @Test func decodesRandomChunking() throws {
        var generator = SystemRandomNumberGenerator()
        var big = Data()
        var expected: [String] = []
        for index in 0..<500 {
            let record = "{\"n\":\(index),\"pad\":\"" + String(repeating: "p", count: index % 97) + "\"}"
            expected.append(record)
            RecordIOEncoder.append(Array(record.utf8), to: &big)
        }
        let bytes = Array(big)
        var decoder = RecordIODecoder()
        var out: [String] = []
        var position = 0
        while position < bytes.count {
            let size = Int.random(in: 1...300, using: &generator)
            let end = min(bytes.count, position + size)
            out += try decoder.decode(bytes[position..<end]).map { String(decoding: $0, as: UTF8.self) }
            position = end
        }
        #expect(out == expected)
    }

    @Test func incompleteRecordWaits() throws {
        var decoder = RecordIODecoder()
        #expect(try decoder.decode(Array("10\n12345".utf8)).isEmpty)
        #expect(try decoder.next() == nil)
        #expect(try decoder.decode(Array("67890".utf8)) == [Data("1234567890".utf8)])
    }

    @Test func malformedLengthIsAnError() throws {
        for bad in ["x\n{}", "1a\n", "-1\n", "\n{}", " 2\n{}", "{\"type\":\"HEARTBEAT\"}"] {
            var decoder = RecordIODecoder()
            #expect(throws: RecordIOError.self, "\(bad)") { try decoder.decode(Array(bad.utf8)) }
            // The decoder stays failed.
            #expect(throws: RecordIOError.self) { try decoder.decode(Array("2\n{}".utf8)) }
        }
    }

    @Test func tooManyDigitsIsAnError() throws {
        var decoder = RecordIODecoder(maxRecordSize: .max)
        #expect(throws: RecordIOError.self) { try decoder.decode(Array(String(repeating: "0", count: 25).utf8)) }
    }

    @Test func oversizedRecordIsRejectedBeforeBuffering() throws {
        var decoder = RecordIODecoder(maxRecordSize: 1024)
        #expect(throws: RecordIOError.recordTooLarge(length: 1025, max: 1024)) {
            try decoder.decode(Array("1025\n".utf8))
        }
        var ok = RecordIODecoder(maxRecordSize: 1024)
        let record = [UInt8](repeating: 65, count: 1024)
        #expect(try ok.decode(Array(RecordIOEncoder.encode(record))) == [Data(record)])
        var huge = RecordIODecoder(maxRecordSize: 1024)
        #expect(throws: RecordIOError.self) { try huge.decode(Array("99999999999999999999\n".utf8)) }
    }

    @Test func zeroLengthRecordsAreSkipped() throws {
        var decoder = RecordIODecoder()
        #expect(try decoder.decode(Array("0\n2\n{}".utf8)) == [Data("{}".utf8)])
    }

    @Test func encodedEventsDecode() throws {
        var data = Data()
        let events: [Event] = [.subscribed("F"), .heartbeat, .update(TaskStatus(taskID: "t", state: .running))]
        for event in events { data.append(try RecordIOEncoder.encode(event: event)) }
        var decoder = RecordIODecoder()
        let decoded = try decoder.decode(data).map { try MesosJSON.decode(Event.self, from: $0) }
        #expect(decoded == events)
    }
}
