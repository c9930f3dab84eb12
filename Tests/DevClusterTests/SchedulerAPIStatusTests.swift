import Foundation
import Testing
@testable import DevCluster

/// Every status code of POST /api/v1/scheduler, as a real master answers them.
@Suite struct SchedulerAPIStatusTests {
    let path = "/api/v1/scheduler"
    let subscribeBody = RawHTTP.json(["type": "SUBSCRIBE", "subscribe": ["framework_info": basicFramework]])

    @Test func rejectsBadRequestsLikeTheMaster() async throws {
        try await withCluster(agents: 1, portBase: 41000) { cluster in
            let port = cluster.port
            var response = try await RawHTTP.send(port: port, "GET", path)
            #expect(response.status == 405)
            #expect(response.headers["allow"] == "POST")

            response = try await RawHTTP.send(port: port, "POST", path, headers: [("Accept", "application/json")], body: subscribeBody)
            #expect(response.status == 400)
            #expect(response.text == "Expecting 'Content-Type' to be present")

            response = try await RawHTTP.send(port: port, "POST", path, headers: [("Content-Type", "application/json; charset=utf-8")], body: subscribeBody)
            #expect(response.status == 415)
            response = try await RawHTTP.send(port: port, "POST", path, headers: [("Content-Type", "text/plain")], body: subscribeBody)
            #expect(response.status == 415)

            response = try await RawHTTP.send(port: port, "POST", path, headers: [("Content-Type", "application/json"), ("Accept", "text/html")], body: subscribeBody)
            #expect(response.status == 406)

            response = try await RawHTTP.send(port: port, "POST", path, headers: RawHTTP.jsonHeaders + [("Mesos-Stream-Id", "abc")], body: subscribeBody)
            #expect(response.status == 400)
            #expect(response.text.contains("should not include the 'Mesos-Stream-Id'"))

            let mismatch = RawHTTP.json(["type": "SUBSCRIBE", "framework_id": ["value": "other"],
                                         "subscribe": ["framework_info": basicFramework.merging(["id": ["value": "mine"]]) { $1 }]])
            response = try await RawHTTP.send(port: port, "POST", path, headers: RawHTTP.jsonHeaders, body: mismatch)
            #expect(response.status == 400)
            #expect(response.text.contains("'framework_id' differs from 'subscribe.framework_info.id'"))

            response = try await RawHTTP.send(port: port, "POST", path, headers: RawHTTP.jsonHeaders, body: Data("{not json".utf8))
            #expect(response.status == 400)
            let missingUser = RawHTTP.json(["type": "SUBSCRIBE", "subscribe": ["framework_info": ["name": "x"]]])
            response = try await RawHTTP.send(port: port, "POST", path, headers: RawHTTP.jsonHeaders, body: missingUser)
            #expect(response.status == 400)
            #expect(response.text.contains("user"))

            let unknownFramework = RawHTTP.json(["type": "REVIVE", "framework_id": ["value": "nobody"]])
            response = try await RawHTTP.send(port: port, "POST", path, headers: [("Content-Type", "application/json"), ("Mesos-Stream-Id", "x")], body: unknownFramework)
            #expect(response.status == 400)
            #expect(response.text == "Framework cannot be found")
        }
    }

    @Test func subscribeStreamsAndCallsAreChecked() async throws {
        try await withCluster(agents: 1, portBase: 41100) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework.merging(["failover_timeout": 60]) { $1 })
            #expect(scheduler.status == 200)
            #expect(scheduler.streamID?.isEmpty == false)
            let first = try #require(scheduler.allEvents.first)
            #expect(first["type"] as? String == "SUBSCRIBED")
            let subscribed = try #require(first["subscribed"] as? [String: Any])
            #expect(subscribed["heartbeat_interval_seconds"] as? Double == 1)
            try await scheduler.waitFor(timeout: 10) { $0["type"] as? String == "HEARTBEAT" }

            #expect(try await scheduler.call("REVIVE").status == 202)
            var response = try await scheduler.call("REVIVE", streamID: .some(nil))
            #expect(response.status == 400)
            #expect(response.text.contains("should include the 'Mesos-Stream-Id'"))
            response = try await scheduler.call("REVIVE", streamID: "stale-stream")
            #expect(response.status == 400)
            #expect(response.text.contains("didn't match"))
            response = try await scheduler.call("UNKNOWN")
            #expect(response.status == 501)
            response = try await scheduler.call("ACCEPT")
            #expect(response.status == 400)
            #expect(response.text.contains("Expecting 'accept' to be present"))

            // A second SUBSCRIBE of the same framework fails the first stream over.
            let second = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework.merging(["failover_timeout": 60]) { $1 },
                                           frameworkID: scheduler.frameworkID)
            #expect(second.status == 200)
            #expect(second.frameworkID == scheduler.frameworkID)
            let error = try await scheduler.waitFor { $0["type"] as? String == "ERROR" }
            #expect((error["error"] as? [String: Any])?["message"] as? String == "Framework failed over")
            #expect(await scheduler.waitForClose())
            #expect(try await scheduler.call("REVIVE").status == 400) // the old stream id is stale now

            // Disconnected (but within failover timeout): 403.
            let drop = try await RawHTTP.send(port: cluster.port, "POST", "/admin/frameworks/\(second.frameworkID)/disconnect")
            #expect(drop.status == 200)
            #expect(await second.waitForClose())
            response = try await second.call("REVIVE")
            #expect(response.status == 403)
            #expect(response.text == "Framework is not subscribed")
        }
    }

    @Test func standbyRedirectsAndRecoveryAnswers503() async throws {
        try await withCluster(agents: 1, portBase: 41200, configure: { $0.standby = true }) { cluster in
            let standby = try #require(cluster.standbyAddress)
            let standbyPort = Int(standby.split(separator: ":")[1])!
            var response = try await RawHTTP.send(port: standbyPort, "POST", path, headers: RawHTTP.jsonHeaders, body: subscribeBody)
            #expect(response.status == 307)
            #expect(response.headers["location"] == "//\(cluster.address)/api/v1/scheduler")

            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/admin/master/standby?leader=127.0.0.1:9").status == 200)
            response = try await RawHTTP.send(port: cluster.port, "POST", path, headers: RawHTTP.jsonHeaders, body: subscribeBody)
            #expect(response.status == 307)
            #expect(response.headers["location"] == "//127.0.0.1:9/api/v1/scheduler")
            response = try await RawHTTP.send(port: cluster.port, "GET", "/master/redirect")
            #expect(response.status == 307)
            #expect(try await RawHTTP.send(port: cluster.port, "DELETE", "/admin/master/standby").status == 200)

            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/admin/master/restart?recovery_seconds=30").status == 200)
            response = try await RawHTTP.send(port: cluster.port, "POST", path, headers: RawHTTP.jsonHeaders, body: subscribeBody)
            #expect(response.status == 503)
            #expect(try await RawHTTP.send(port: cluster.port, "GET", "/master/health").status == 200)
        }
    }

    @Test func operatorEndpointsAnswer() async throws {
        try await withCluster(agents: 2, portBase: 41300) { cluster in
            let version = try await RawHTTP.send(port: cluster.port, "GET", "/version").json()
            #expect(version["version"] as? String == "1.11.0")
            let state = try await RawHTTP.send(port: cluster.port, "GET", "/master/state").json()
            let slaves = try #require(state["slaves"] as? [[String: Any]])
            #expect(slaves.count == 2)
            #expect(slaves.map { $0["hostname"] as? String } == ["127.0.0.2", "127.0.0.3"])
            let resources = try #require(slaves[0]["resources"] as? [String: Any])
            #expect(resources["cpus"] as? Double == 4)
            #expect(resources["ports"] as? String == "[41300-41319]")
            #expect((slaves[0]["attributes"] as? [String: Any])?["rack"] as? String == "r1")
            #expect((try await RawHTTP.send(port: cluster.port, "GET", "/master/slaves").json()["slaves"]) is [Any])
            #expect(try await RawHTTP.send(port: cluster.port, "GET", "/master/frameworks").json()["frameworks"] is [Any])
            #expect(try await RawHTTP.send(port: cluster.port, "GET", "/master/tasks").json()["tasks"] is [Any])
            let health = RawHTTP.json(["type": "GET_HEALTH"])
            let answer = try await RawHTTP.send(port: cluster.port, "POST", "/api/v1", headers: RawHTTP.jsonHeaders, body: health).json()
            #expect((answer["get_health"] as? [String: Any])?["healthy"] as? Bool == true)
            let unknownAgent = RawHTTP.json(["type": "DEACTIVATE_AGENT", "deactivate_agent": ["agent_id": ["value": "nope"]]])
            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/api/v1", headers: RawHTTP.jsonHeaders, body: unknownAgent).status == 400)
        }
    }
}
