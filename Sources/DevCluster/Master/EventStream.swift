import Foundation
import Mesos
import Hummingbird

/// One SUBSCRIBE connection: RecordIO-framed events written to the chunked HTTP response.
final class EventStream: Sendable {
    let id: String
    let frameworkID: FrameworkID
    private let continuation: AsyncStream<ByteBuffer>.Continuation
    let buffers: AsyncStream<ByteBuffer>

    init(frameworkID: FrameworkID, onTermination: @escaping @Sendable (String) -> Void) {
        let id = UUID().uuidString.lowercased()
        self.id = id
        self.frameworkID = frameworkID
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .unbounded)
        self.buffers = stream
        self.continuation = continuation
        continuation.onTermination = { _ in onTermination(id) }
    }

    /// Frames and queues an event; false when the stream is over.
    @discardableResult
    func send(_ event: Event) -> Bool {
        guard let json = try? EventStream.encoder.encode(event) else { return false }
        return sendRaw(json)
    }

    /// The same for an executor's stream.
    @discardableResult
    func send(_ event: ExecutorEvent) -> Bool {
        guard let json = try? EventStream.encoder.encode(event) else { return false }
        return sendRaw(json)
    }

    func sendRaw(_ json: Data) -> Bool {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(json.count + 8)
        buffer.writeString(String(json.count))
        buffer.writeInteger(UInt8(ascii: "\n"))
        buffer.writeBytes(json)
        if case .enqueued = continuation.yield(buffer) { return true }
        return false
    }

    func close() { continuation.finish() }

    /// JSONEncoder is thread-safe for encoding; one shared instance avoids per-event setup.
    nonisolated(unsafe) static let encoder: JSONEncoder = MesosJSON.makeEncoder()
}
