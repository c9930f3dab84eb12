import Foundation
import Testing
@testable import Mesos

/// Collects a subscription's events on a background task.
final class EventCollector: @unchecked Sendable {  // @unchecked: state is behind `lock`.
    private let lock = NSLock()
    private var collected: [Event] = []
    private var ending: (any Error)??  // nil: running; .some(nil): finished; .some(error): failed
    private var task: Task<Void, Never>?

    init(_ stream: AsyncThrowingStream<Event, any Error>) {
        task = Task { [self] in
            do {
                for try await event in stream { lock.withLock { collected.append(event) } }
                lock.withLock { ending = .some(nil) }
            } catch {
                lock.withLock { ending = .some(error) }
            }
        }
    }

    var events: [Event] { lock.withLock { collected } }
    var isFinished: Bool { lock.withLock { ending != nil } }
    var error: (any Error)? { lock.withLock { ending ?? nil } }

    func events(_ type: Event.EventType) -> [Event] { events.filter { $0.type == type } }
}

/// Polls `condition` every 20 ms until it holds or `timeout` seconds pass.
func eventually(_ timeout: Double = 15, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

/// A configuration with short backoffs for loopback tests.
func testConfiguration(_ masters: [String], credentials: Credentials? = nil) throws -> MesosClientConfiguration {
    var configuration = try MesosClientConfiguration(
        masters: masters, security: TransportSecurity(credentials: credentials))
    configuration.connectTimeout = .seconds(3)
    configuration.requestTimeout = .seconds(10)
    configuration.retryDeadline = .seconds(10)
    configuration.retryBackoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(200))
    configuration.reconnectBackoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(300))
    return configuration
}

func recordIO(_ events: [Event]) throws -> Data {
    var data = Data()
    for event in events { data.append(try RecordIOEncoder.encode(event: event)) }
    return data
}

/// Writes `data` as many small HTTP chunks of random sizes (1...maxChunk bytes).
func sendInRandomChunks(_ data: Data, on connection: ScriptedHTTPServer.Connection, maxChunk: Int = 9) {
    var offset = 0
    var index = 0
    while offset < data.count {
        let size = min(Int.random(in: 1...maxChunk), data.count - offset)
        guard connection.chunk(data.subdata(in: offset..<(offset + size))) else { return }
        offset += size
        index += 1
        if index % 16 == 0 { Thread.sleep(forTimeInterval: 0.001) }
    }
}

func decodeCall(_ request: ScriptedHTTPServer.Request) -> Call? {
    try? MesosJSON.decode(Call.self, from: request.body)
}

let sampleOffer = Offer(
    id: "O1", frameworkID: "F-1", agentID: "A1", hostname: "127.0.0.2",
    resources: [.scalar("cpus", 4), .scalar("mem", 4096), .ranges("ports", [31000...32000])],
    attributes: [.text("rack", "r1")])

let sampleUpdate = TaskStatus(
    taskID: "web.1", state: .running, source: .executor, agentID: "A1", timestamp: 1_700_000_000,
    uuid: Bytes(Data((0..<16).map { UInt8($0) })), healthy: true)
