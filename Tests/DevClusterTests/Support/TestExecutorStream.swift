import Foundation
import Mesos
@testable import DevCluster

/// The test playing an executor: a raw SUBSCRIBE to an agent's `/api/v1/executor`, its records
/// read on a thread, plus the short calls (UPDATE, MESSAGE) an executor makes.
final class TestExecutorStream: @unchecked Sendable {
    // `events` and `closed` are guarded by `lock`; the connection is used by the reader thread only.
    let status: Int
    let headers: [String: String]
    let host: String
    let port: Int
    let frameworkID: String
    let executorID: String
    private let connection: RawConnection
    private let lock = NSCondition()
    private var events: [[String: Any]] = []
    private var closed = false

    static func subscribe(host: String, port: Int, frameworkID: String, executorID: String,
                          subscribe: [String: Any] = [:]) async throws -> TestExecutorStream {
        try await offload { try TestExecutorStream(host: host, port: port, frameworkID: frameworkID, executorID: executorID, subscribe: subscribe) }
    }

    private init(host: String, port: Int, frameworkID: String, executorID: String, subscribe: [String: Any]) throws {
        self.host = host
        self.port = port
        self.frameworkID = frameworkID
        self.executorID = executorID
        let body: [String: Any] = ["type": "SUBSCRIBE", "framework_id": ["value": frameworkID],
                                   "executor_id": ["value": executorID], "subscribe": subscribe]
        connection = try RawConnection(host: host, port: port, timeout: 60)
        try connection.request("POST", "/api/v1/executor", headers: RawHTTP.jsonHeaders, body: RawHTTP.json(body))
        (status, headers) = try connection.readHead()
        let chunked = headers["transfer-encoding"] == "chunked"
        Thread.detachNewThread { [self] in readLoop(chunked: chunked) }
    }

    private func readLoop(chunked: Bool) {
        var chunks = ChunkedDecoder()
        var records = RecordIODecoder()
        while let data = try? connection.receive() {
            let body = chunked ? chunks.feed(data) : data
            guard let decoded = try? records.decode(body) else { break }
            lock.lock()
            for record in decoded {
                if let object = try? JSONSerialization.jsonObject(with: record) as? [String: Any] { events.append(object) }
            }
            lock.broadcast()
            lock.unlock()
            if chunks.finished { break }
        }
        lock.lock()
        closed = true
        lock.broadcast()
        lock.unlock()
    }

    var allEvents: [[String: Any]] { lock.lock(); defer { lock.unlock() }; return events }
    var types: [String] { allEvents.map { $0["type"] as? String ?? "?" } }

    @discardableResult
    func waitFor(_ type: String, timeout: Double = 20, skipping skip: Int = 0) async throws -> [String: Any] {
        try await offload { [self] in
            let deadline = Date().addingTimeInterval(timeout)
            lock.lock()
            defer { lock.unlock() }
            while true {
                if let event = events.lazy.filter({ $0["type"] as? String == type }).dropFirst(skip).first { return event }
                if closed { throw RawHTTPError("executor stream closed; events: \(events.map { $0["type"] ?? "?" })") }
                if !lock.wait(until: deadline) { throw RawHTTPError("timed out waiting for \(type); events: \(events.map { $0["type"] ?? "?" })") }
            }
        }
    }

    func waitForClose(timeout: Double = 20) async -> Bool {
        (try? await offload { [self] in
            let deadline = Date().addingTimeInterval(timeout)
            lock.lock()
            defer { lock.unlock() }
            while !closed { if !lock.wait(until: deadline) { return false } }
            return true
        }) ?? false
    }

    /// An executor call of `type` with `payload` under its lower-cased key.
    func call(_ type: String, _ payload: [String: Any]? = nil) async throws -> RawResponse {
        try await TestExecutorStream.call(host: host, port: port, frameworkID: frameworkID, executorID: executorID, type, payload)
    }

    static func call(host: String, port: Int, frameworkID: String, executorID: String, _ type: String,
                     _ payload: [String: Any]? = nil) async throws -> RawResponse {
        var body: [String: Any] = ["type": type, "framework_id": ["value": frameworkID], "executor_id": ["value": executorID]]
        if let payload { body[type.lowercased()] = payload }
        return try await RawHTTP.send(port: port, host: host, "POST", "/api/v1/executor",
                                      headers: [("Content-Type", "application/json")], body: RawHTTP.json(body))
    }

    /// UPDATE with a fresh uuid; returns the response and the uuid sent.
    func update(_ taskID: String, _ state: String, message: String? = nil, data: String? = nil,
                source: String? = "SOURCE_EXECUTOR") async throws -> (RawResponse, String) {
        let uuid = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        var status: [String: Any] = ["task_id": ["value": taskID], "state": state, "uuid": uuid]
        if let source { status["source"] = source }
        if let message { status["message"] = message }
        if let data { status["data"] = data }
        return (try await call("UPDATE", ["status": status]), uuid)
    }

    func close() { connection.shutdownBoth() }
    deinit { connection.shutdownBoth() }
}
