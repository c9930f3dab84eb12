import Foundation
import Testing
@testable import Mesos

@Suite("Scheduler client against a scripted master", .serialized)
struct SchedulerClientTests {
    /// A master that streams `events` (in tiny chunks) for SUBSCRIBE and answers 202 to calls.
    static func streamingMaster(streamID: String = "stream-1", events: [Event]) throws -> ScriptedHTTPServer {
        let bytes = try recordIO(events)
        return try ScriptedHTTPServer { request, connection in
            guard request.path == "/api/v1/scheduler" else { return connection.respond(404, "Not Found") }
            if decodeCall(request)?.type == .subscribe {
                connection.startChunked(headers: ["Mesos-Stream-Id": streamID, "Content-Type": "application/json"])
                sendInRandomChunks(bytes, on: connection)
                _ = connection.waitForPeerClose(timeout: 60)
                connection.close()
            } else {
                connection.respond(202, "Accepted")
            }
        }
    }

    @Test func subscribeStreamInArbitraryChunksAndCallsCarryTheStreamID() async throws {
        let events: [Event] = [.subscribed("F-1", heartbeatIntervalSeconds: 15), .offers([sampleOffer]),
                               .update(sampleUpdate), .heartbeat]
        let server = try Self.streamingMaster(events: events)
        defer { server.stop() }
        let client = SchedulerClient(configuration: try testConfiguration([server.baseURL],
            credentials: Credentials(principal: "converge", secret: "s3cret")))
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "root", name: "converge")))

        #expect(await eventually { collector.events.count == 4 })
        #expect(collector.events == events)
        #expect(client.frameworkID == "F-1")
        #expect(client.streamID == "stream-1")
        #expect(client.connectionState == .subscribed("F-1", MasterEndpoint(server.baseURL)!))

        try await client.decline(offerIDs: ["O1"], refuseSeconds: 10)
        #expect(try await client.acknowledge(sampleUpdate))
        #expect(try await client.acknowledge(TaskStatus(taskID: "t", state: .running)) == false)

        let subscribe = try #require(server.requests.first)
        #expect(subscribe.header("Mesos-Stream-Id") == nil)
        #expect(subscribe.header("Content-Type") == "application/json")
        #expect(subscribe.header("Accept") == "application/json")
        let expectedAuth = "Basic " + Data("converge:s3cret".utf8).base64EncodedString()
        #expect(server.requests.allSatisfy { $0.header("Authorization") == expectedAuth })

        let calls = server.requests.dropFirst().map { $0 }
        #expect(calls.count == 2)
        for call in calls {
            #expect(call.method == "POST")
            #expect(call.header("Mesos-Stream-Id") == "stream-1")
            #expect(call.header("Content-Type") == "application/json")
        }
        let decline = try #require(decodeCall(calls[0]))
        #expect(decline == .decline("F-1", offerIDs: ["O1"], filters: Filters(refuseSeconds: 10)))
        let ack = try #require(decodeCall(calls[1]))
        #expect(ack == .acknowledge("F-1", agentID: "A1", taskID: "web.1", uuid: sampleUpdate.uuid!))

        await client.close()
        #expect(await eventually { collector.isFinished })
        #expect(collector.error == nil)
        #expect(client.connectionState == .closed(reason: "closed"))
        await #expect(throws: MesosError.closed) { try await client.revive() }
    }

    @Test func followsProtocolRelativeRedirectToTheLeader() async throws {
        let leader = try Self.streamingMaster(streamID: "leader-stream", events: [.subscribed("F-9")])
        defer { leader.stop() }
        let standby = try ScriptedHTTPServer { _, connection in
            connection.respond(307, "Temporary Redirect",
                               headers: ["Location": "//\(leader.authority)/api/v1/scheduler"])
        }
        defer { standby.stop() }
        let client = SchedulerClient(configuration: try testConfiguration([standby.baseURL]))
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "u", name: "n")))
        #expect(await eventually { collector.events.count == 1 })
        #expect(client.connectionState == .subscribed("F-9", MasterEndpoint(leader.baseURL)!))
        try await client.revive()
        #expect(standby.requests.count == 1)
        #expect(leader.requests.count == 2)
        #expect(leader.requests.last?.header("Mesos-Stream-Id") == "leader-stream")
        // Operator reads go to the remembered leader too.
        #expect(client.operatorClient.connection.currentEndpoint == MasterEndpoint(leader.baseURL)!)
        await client.close()
    }

    @Test func retries503WithBackoffThenSucceeds() async throws {
        let attempts = Locked((subscribe: 0, call: 0))
        let bytes = try recordIO([.subscribed("F-1")])
        let server = try ScriptedHTTPServer { request, connection in
            if decodeCall(request)?.type == .subscribe {
                let n = attempts.withLock { $0.subscribe += 1; return $0.subscribe }
                if n <= 2 { return connection.respond(503, "Service Unavailable", body: "No leader elected") }
                connection.startChunked(headers: ["Mesos-Stream-Id": "s"])
                connection.chunk(bytes)
                _ = connection.waitForPeerClose(timeout: 60)
                connection.close()
            } else {
                let n = attempts.withLock { $0.call += 1; return $0.call }
                if n <= 2 { return connection.respond(503, "Service Unavailable", body: "Master is recovering") }
                connection.respond(202, "Accepted")
            }
        }
        defer { server.stop() }
        let client = SchedulerClient(configuration: try testConfiguration([server.baseURL]))
        let states = client.connectionStates()
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "u", name: "n")))
        #expect(await eventually { collector.events.count == 1 })
        #expect(attempts.current.subscribe == 3)
        try await client.suppress()
        #expect(attempts.current.call == 3)
        await client.close()
        var seen: [ConnectionState] = []
        for await state in states { seen.append(state) }
        #expect(seen.first == .idle)
        #expect(seen.contains { if case .reconnecting = $0 { return true } else { return false } })
        #expect(seen.contains(.subscribed("F-1", MasterEndpoint(server.baseURL)!)))
        #expect(seen.last == .closed(reason: "closed"))
    }

    @Test func callGives503UpAtTheDeadline() async throws {
        let server = try ScriptedHTTPServer { request, connection in
            if decodeCall(request)?.type == .subscribe {
                connection.startChunked(headers: ["Mesos-Stream-Id": "s"])
                connection.chunk(try! recordIO([.subscribed("F-1")]))
                _ = connection.waitForPeerClose(timeout: 60)
                connection.close()
            } else {
                connection.respond(503, "Service Unavailable", body: "still recovering")
            }
        }
        defer { server.stop() }
        var configuration = try testConfiguration([server.baseURL])
        configuration.retryDeadline = .seconds(1)
        let client = SchedulerClient(configuration: configuration)
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "u", name: "n")))
        #expect(await eventually { collector.events.count == 1 })
        let started = Date()
        await #expect(throws: MesosError.unavailable(message: "still recovering",
                                                     url: server.baseURL + "/api/v1/scheduler")) {
            try await client.revive()
        }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(server.requests.count > 3)
        await client.close()
    }

    @Test func errorStatusesCarryTheMastersMessage() async throws {
        let server = try ScriptedHTTPServer { request, connection in
            switch decodeCall(request)?.type {
            case .subscribe?:
                connection.startChunked(headers: ["Mesos-Stream-Id": "s"])
                connection.chunk(try! recordIO([.subscribed("F-1")]))
                _ = connection.waitForPeerClose(timeout: 60)
                connection.close()
            case .decline?:
                connection.respond(400, "Bad Request", body: "Missing required fields: decline.offer_ids")
            case .kill?:
                connection.respond(403, "Forbidden", body: "Framework is not subscribed")
            case .revive?:
                connection.respond(401, "Unauthorized",
                                   headers: ["WWW-Authenticate": "Basic realm=\"mesos-master-scheduler\""])
            case .suppress?:
                connection.respond(415, "Unsupported Media Type", body: "Expecting 'Content-Type' of application/json")
            default:
                connection.respond(501, "Not Implemented", body: "Unknown call type")
            }
        }
        defer { server.stop() }
        let url = server.baseURL + "/api/v1/scheduler"
        let client = SchedulerClient(configuration: try testConfiguration([server.baseURL]))
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "u", name: "n")))
        #expect(await eventually { collector.events.count == 1 })
        await #expect(throws: MesosError.badRequest(message: "Missing required fields: decline.offer_ids", url: url)) {
            try await client.decline(offerIDs: [])
        }
        await #expect(throws: MesosError.forbidden(message: "Framework is not subscribed", url: url)) {
            try await client.kill(taskID: "t", agentID: nil)
        }
        await #expect(throws: MesosError.unauthorized(message: "(no message)", url: url)) {
            try await client.revive()
        }
        await #expect(throws: MesosError.unsupportedMediaType(
            message: "Expecting 'Content-Type' of application/json", url: url)) { try await client.suppress() }
        await #expect(throws: MesosError.notImplemented(message: "Unknown call type", url: url)) {
            try await client.teardown()
        }
        let error = MesosError.badRequest(message: "Missing required fields: x", url: url)
        #expect(error.description.contains("400") && error.description.contains("Missing required fields: x"))
        await client.close()
    }

    @Test func unauthorizedSubscribeEndsTheStreamWithoutLeakingTheSecret() async throws {
        let server = try ScriptedHTTPServer { _, connection in
            connection.respond(401, "Unauthorized", headers: ["WWW-Authenticate": "Basic realm=\"mesos-master-scheduler\""],
                               body: "Authentication failed")
        }
        defer { server.stop() }
        let client = SchedulerClient(configuration: try testConfiguration([server.baseURL],
            credentials: Credentials(principal: "p", secret: "topsecret")))
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "u", name: "n")))
        #expect(await eventually { collector.isFinished })
        let error = try #require(collector.error as? MesosError)
        #expect(error == .unauthorized(message: "Authentication failed", url: server.baseURL + "/api/v1/scheduler"))
        #expect(!error.description.contains("topsecret"))
        #expect(!"\(client.connectionState)".contains("topsecret"))
        #expect(server.requests.count == 1)
        await client.close()
    }

    @Test func heartbeatSilenceReconnectsAndResubscribesWithTheFrameworkID() async throws {
        let subscribes = Locked<[Call]>([])
        let server = try ScriptedHTTPServer { request, connection in
            guard let call = decodeCall(request), call.type == .subscribe else { return connection.respond(202) }
            let n = subscribes.withLock { $0.append(call); return $0.count }
            connection.startChunked(headers: ["Mesos-Stream-Id": "stream-\(n)"])
            connection.chunk(try! recordIO([.subscribed("F-1", heartbeatIntervalSeconds: 0.2)]))
            // Then silence: no heartbeats.
            _ = connection.waitForPeerClose(timeout: 60)
            connection.close()
        }
        defer { server.stop() }
        let client = SchedulerClient(configuration: try testConfiguration([server.baseURL]))
        let started = Date()
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "u", name: "n",
                                                                                 failoverTimeout: 3600)))
        #expect(await eventually(20) { collector.events(.subscribed).count >= 2 })
        // 5 x 0.2 s of silence; libcurl checks about once a second.
        #expect(Date().timeIntervalSince(started) >= 1)
        let calls = subscribes.current
        #expect(calls.count >= 2)
        #expect(calls[0].frameworkID == nil)
        #expect(calls[0].subscribe?.frameworkInfo.id == nil)
        #expect(calls[1].frameworkID == "F-1")
        #expect(calls[1].subscribe?.frameworkInfo.id == "F-1")
        #expect(calls[1].subscribe?.frameworkInfo.failoverTimeout == 3600)
        #expect(await eventually { client.streamID?.hasPrefix("stream-") == true && client.streamID != "stream-1" })
        await client.close()
    }

    @Test func droppedConnectionAndErrorEventResubscribeButRemovalIsFinal() async throws {
        let subscribes = Locked(0)
        let server = try ScriptedHTTPServer { request, connection in
            guard decodeCall(request)?.type == .subscribe else { return connection.respond(202) }
            let n = subscribes.withLock { $0 += 1; return $0 }
            connection.startChunked(headers: ["Mesos-Stream-Id": "s\(n)"])
            switch n {
            case 1:  // The master closes the stream.
                connection.chunk(try! recordIO([.subscribed("F-1")]))
                connection.endChunked()
                connection.close()
            case 2:
                connection.chunk(try! recordIO([.subscribed("F-1"), .error("Framework failed over")]))
                _ = connection.waitForPeerClose(timeout: 60)
                connection.close()
            default:
                connection.chunk(try! recordIO([.error("Framework has been removed")]))
                _ = connection.waitForPeerClose(timeout: 60)
                connection.close()
            }
        }
        defer { server.stop() }
        let client = SchedulerClient(configuration: try testConfiguration([server.baseURL]))
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "u", name: "n")))
        #expect(await eventually { collector.isFinished })
        #expect(subscribes.current == 3)
        #expect(collector.events.map(\.type) == [.subscribed, .subscribed, .error, .error])
        #expect(collector.error as? MesosError == .frameworkRemoved(message: "Framework has been removed"))
        if case .closed = client.connectionState {} else { Issue.record("state \(client.connectionState)") }
        await client.close()
    }

    @Test func everyRequestHasATimeout() async throws {
        let server = try ScriptedHTTPServer { request, connection in
            if decodeCall(request)?.type == .subscribe {
                connection.startChunked(headers: ["Mesos-Stream-Id": "s"])
                connection.chunk(try! recordIO([.subscribed("F-1")]))
                _ = connection.waitForPeerClose(timeout: 60)
                connection.close()
            } else {
                _ = connection.waitForPeerClose(timeout: 30)  // Never answers.
                connection.close()
            }
        }
        defer { server.stop() }
        var configuration = try testConfiguration([server.baseURL])
        configuration.requestTimeout = .seconds(1)
        let client = SchedulerClient(configuration: configuration)
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "u", name: "n")))
        #expect(await eventually { collector.events.count == 1 })
        let started = Date()
        await #expect(throws: MesosError.timedOut(url: server.baseURL + "/api/v1/scheduler")) {
            try await client.revive()
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 0.9 && elapsed < 8)
        await client.close()
    }

    @Test func subscribeTimesOutWithoutSubscribedAndRetries() async throws {
        let subscribes = Locked(0)
        let server = try ScriptedHTTPServer { _, connection in
            let n = subscribes.withLock { $0 += 1; return $0 }
            connection.startChunked(headers: ["Mesos-Stream-Id": "s\(n)"])
            if n >= 2 { connection.chunk(try! recordIO([.subscribed("F-2")])) }
            _ = connection.waitForPeerClose(timeout: 60)
            connection.close()
        }
        defer { server.stop() }
        var configuration = try testConfiguration([server.baseURL])
        configuration.subscribeTimeout = .seconds(1)
        let client = SchedulerClient(configuration: configuration)
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "u", name: "n")))
        #expect(await eventually(20) { collector.events.count == 1 })
        #expect(subscribes.current == 2)
        await client.close()
    }

    @Test func callsBeforeSubscribingFailFastAndCloseWithoutSubscribeReturns() async throws {
        let client = SchedulerClient(configuration: try testConfiguration(["http://127.0.0.1:9"]))
        await #expect(throws: MesosError.notSubscribed) { try await client.revive() }
        await client.close()
        #expect(client.connectionState == .closed(reason: "closed"))
    }

    @Test func unreachableMasterKeepsRetryingUntilClosed() async throws {
        // Port 9 (discard) on loopback is closed: connection refused, again and again.
        let client = SchedulerClient(configuration: try testConfiguration(["http://127.0.0.1:9"]))
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "u", name: "n")))
        #expect(await eventually {
            if case .reconnecting(let attempt, _) = client.connectionState { return attempt >= 3 }
            return false
        })
        await client.close()
        #expect(await eventually { collector.isFinished })
        #expect(collector.error == nil)
    }
}
