import Foundation
import Mesos
import Testing
@testable import DevCluster

/// A raw subscription: the SUBSCRIBE response read on a thread, RecordIO records decoded into
/// JSON objects that tests wait for with deadlines.
final class TestScheduler: @unchecked Sendable {
    // `events` and `closed` are guarded by `lock`; the connection is used by the reader thread only.
    let port: Int
    let status: Int
    let streamID: String?
    private(set) var frameworkID: String = ""
    private let connection: RawConnection
    private let lock = NSCondition()
    private var events: [[String: Any]] = []
    private var closed = false

    static func subscribe(port: Int, framework: [String: Any], frameworkID: String? = nil) async throws -> TestScheduler {
        try await offload { try TestScheduler(port: port, framework: framework, frameworkID: frameworkID) }
    }

    private init(port: Int, framework: [String: Any], frameworkID: String? = nil) throws {
        self.port = port
        var body: [String: Any] = ["type": "SUBSCRIBE", "subscribe": ["framework_info": framework]]
        var info = framework
        if let frameworkID {
            info["id"] = ["value": frameworkID]
            body["subscribe"] = ["framework_info": info]
            body["framework_id"] = ["value": frameworkID]
        }
        connection = try RawConnection(host: "127.0.0.1", port: port, timeout: 60)
        try connection.request("POST", "/api/v1/scheduler", headers: RawHTTP.jsonHeaders, body: RawHTTP.json(body))
        let (status, headers) = try connection.readHead()
        self.status = status
        self.streamID = headers["mesos-stream-id"]
        Thread.detachNewThread { [self] in readLoop(chunked: headers["transfer-encoding"] == "chunked") }
        if status == 200, let subscribed = try? waitForBlocking(timeout: 20, { $0["type"] as? String == "SUBSCRIBED" || $0["type"] as? String == "ERROR" }),
           let payload = subscribed["subscribed"] as? [String: Any], let id = (payload["framework_id"] as? [String: Any])?["value"] as? String {
            self.frameworkID = id
        }
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

    var isClosed: Bool { lock.lock(); defer { lock.unlock() }; return closed }
    var allEvents: [[String: Any]] { lock.lock(); defer { lock.unlock() }; return events }

    /// The first event (from the start of the stream) matching, waiting up to `timeout` seconds.
    @discardableResult
    func waitFor(timeout: Double = 20, skipping skip: Int = 0,
                 _ matches: @escaping ([String: Any]) -> Bool) async throws -> [String: Any] {
        try await offload { try self.waitForBlocking(timeout: timeout, skipping: skip, matches) }
    }

    /// The event after the first `skip` ones (from the start of the stream) matching, waiting up to `timeout` seconds.
    func waitForBlocking(timeout: Double = 20, skipping skip: Int = 0, _ matches: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let event = events.lazy.filter(matches).dropFirst(skip).first { return event }
            if closed { throw RawHTTPError("stream closed; events: \(events.map { $0["type"] ?? "?" })") }
            if !lock.wait(until: deadline) { throw RawHTTPError("timed out; events: \(events.map { $0["type"] ?? "?" })") }
        }
    }

    func waitForClose(timeout: Double = 20) async -> Bool {
        (try? await offload { self.waitForCloseBlocking(timeout: timeout) }) ?? false
    }

    func waitForCloseBlocking(timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while !closed { if !lock.wait(until: deadline) { return false } }
        return true
    }

    /// The first UPDATE for a task in one of `states`.
    func update(_ taskID: String, _ states: Set<String>, timeout: Double = 30) async throws -> [String: Any] {
        let event = try await waitFor(timeout: timeout) { event in
            guard let status = (event["update"] as? [String: Any])?["status"] as? [String: Any] else { return false }
            return (status["task_id"] as? [String: Any])?["value"] as? String == taskID && states.contains(status["state"] as? String ?? "")
        }
        return (event["update"] as! [String: Any])["status"] as! [String: Any]
    }

    func updates(_ taskID: String) -> [[String: Any]] {
        allEvents.compactMap { ($0["update"] as? [String: Any])?["status"] as? [String: Any] }
            .filter { ($0["task_id"] as? [String: Any])?["value"] as? String == taskID }
    }

    func firstOffer(timeout: Double = 20) async throws -> [String: Any] {
        let event = try await waitFor(timeout: timeout) { $0["type"] as? String == "OFFERS" }
        return ((event["offers"] as! [String: Any])["offers"] as! [[String: Any]])[0]
    }

    func offers(after count: Int = 0, timeout: Double = 20) async throws -> [[String: Any]] {
        let event = try await waitFor(timeout: timeout, skipping: count) { $0["type"] as? String == "OFFERS" }
        return (event["offers"] as! [String: Any])["offers"] as! [[String: Any]]
    }

    /// A call on this subscription; returns the raw response.
    @discardableResult
    func call(_ type: String, _ payload: [String: Any]? = nil, streamID: String?? = .none) async throws -> RawResponse {
        var body: [String: Any] = ["type": type, "framework_id": ["value": frameworkID]]
        if let payload { body[type.lowercased()] = payload }
        var headers = [("Content-Type", "application/json")]
        let id = streamID ?? self.streamID
        if let id { headers.append(("Mesos-Stream-Id", id)) }
        return try await RawHTTP.send(port: port, "POST", "/api/v1/scheduler", headers: headers, body: RawHTTP.json(body))
    }

    func acknowledge(_ status: [String: Any]) async throws {
        guard let uuid = status["uuid"] else { return }
        let response = try await call("ACKNOWLEDGE", ["agent_id": status["agent_id"]!, "task_id": status["task_id"]!, "uuid": uuid])
        #expect(response.status == 202, "ACKNOWLEDGE: \(response.status) \(response.text)")
    }

    func launch(offer: [String: Any], tasks: [[String: Any]], refuseSeconds: Double = 0) async throws {
        let response = try await call("ACCEPT", ["offer_ids": [offer["id"]!],
                                           "operations": [["type": "LAUNCH", "launch": ["task_infos": tasks]]],
                                           "filters": ["refuse_seconds": refuseSeconds]])
        #expect(response.status == 202, "ACCEPT: \(response.status) \(response.text)")
    }

    func close() { connection.shutdownBoth() }
    deinit { connection.shutdownBoth() }
}

/// A task for LAUNCH.
func commandTask(_ id: String, agent: Any, command: String, cpus: Double = 0.1, mem: Double = 64,
                 extra: [String: Any] = [:], resources: [[String: Any]] = []) -> [String: Any] {
    var task: [String: Any] = [
        "task_id": ["value": id], "agent_id": agent, "name": id,
        "command": ["value": command],
        "resources": [["name": "cpus", "type": "SCALAR", "scalar": ["value": cpus]],
                      ["name": "mem", "type": "SCALAR", "scalar": ["value": mem]]] + resources,
    ]
    for (key, value) in extra { task[key] = value }
    return task
}

var basicFramework: [String: Any] { ["user": "test", "name": "devcluster-tests"] }

/// Starts a cluster on a free port, runs the body, shuts down, and checks no task process remains.
func withCluster(agents: Int = 2, virtual: Bool = false, portBase: UInt64 = 40000,
                 configure: (inout DevClusterConfig) -> Void = { _ in },
                 _ body: (RunningCluster) async throws -> Void) async throws {
    var config = DevClusterConfig(port: 0, agents: agents, virtual: virtual)
    config.agents = AgentSpec.defaults(count: agents, template: AgentSpec(), portsPerAgent: 20)
        .map { spec in var spec = spec; spec.portsBegin += portBase - 31000; spec.portsEnd += portBase - 31000; return spec }
    config.heartbeatInterval = 1
    config.allocationInterval = 0.2
    configure(&config)
    let cluster = try await DevCluster.start(config)
    do {
        try await body(cluster)
    } catch {
        await cluster.shutdown()
        throw error
    }
    let groups = await cluster.processGroups()
    await cluster.shutdown()
    let clean = try await eventually(timeout: 10) { groups.allSatisfy { ProcessGroupMemory.members(ofGroup: $0).isEmpty } }
    #expect(clean, "task processes survived shutdown: \(groups.map { ($0, ProcessGroupMemory.members(ofGroup: $0)) })")
}

/// Polls until `condition` holds or `timeout` passes.
func eventually(timeout: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}
