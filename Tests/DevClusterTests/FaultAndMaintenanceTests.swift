import Foundation
import Testing
@testable import DevCluster

/// Agent loss, maintenance, draining and virtual mode.
@Suite struct FaultAndMaintenanceTests {
    @Test func stoppedAgentsLoseTheirTasksAsMesosReportsThem() async throws {
        try await withCluster(agents: 1, portBase: 45000, configure: { $0.agentReregisterTimeout = 0.5 }) { cluster in
            let plain = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offer = try await plain.firstOffer()
            let agent = offer["agent_id"]!
            // refuse_seconds 60: the rest of the agent goes to the second framework.
            try await plain.launch(offer: offer, tasks: [commandTask("plain", agent: agent, command: "sleep 300", cpus: 1)], refuseSeconds: 60)
            _ = try await plain.update("plain", ["TASK_RUNNING"])

            let aware = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework.merging(
                ["checkpoint": true, "capabilities": [["type": "PARTITION_AWARE"]]]) { $1 })
            let offer2 = try await aware.firstOffer()
            try await aware.launch(offer: offer2, tasks: [commandTask("aware", agent: agent, command: "sleep 300", cpus: 1)])
            _ = try await aware.update("aware", ["TASK_RUNNING"])
            let groups = await cluster.processGroups()

            let hostname = cluster.agents[0].hostname
            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/admin/agents/\(hostname)/stop").status == 200)
            let lost = try await plain.update("plain", ["TASK_LOST"])
            #expect(lost["reason"] as? String == "REASON_AGENT_DISCONNECTED")
            let unreachable = try await aware.update("aware", ["TASK_UNREACHABLE"])
            #expect(unreachable["reason"] as? String == "REASON_AGENT_REMOVED")
            #expect(unreachable["unreachable_time"] != nil)
            try await aware.waitFor { $0["type"] as? String == "FAILURE" }
            #expect(try await eventually { groups.allSatisfy { ProcessGroupMemory.members(ofGroup: $0).isEmpty } })
            let state = try await RawHTTP.send(port: cluster.port, "GET", "/master/state").json()
            #expect((state["slaves"] as? [Any])?.isEmpty == true)

            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/admin/agents/\(hostname)/restart").status == 200)
            let gone = try await aware.update("aware", ["TASK_GONE"])
            #expect(gone["reason"] as? String == "REASON_AGENT_RESTARTED")
            _ = try await aware.offers(after: 1, timeout: 10)
        }
    }

    @Test func partitionedAgentsKeepTheirProcessesAndTasksComeBack() async throws {
        try await withCluster(agents: 1, portBase: 45400, configure: { $0.agentReregisterTimeout = 0.5 }) { cluster in
            let aware = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework.merging(
                ["checkpoint": true, "capabilities": [["type": "PARTITION_AWARE"]]]) { $1 })
            let offer = try await aware.firstOffer()
            try await aware.launch(offer: offer, tasks: [commandTask("survivor", agent: offer["agent_id"]!, command: "sleep 300")])
            for state in ["TASK_STARTING", "TASK_RUNNING"] { try await aware.acknowledge(try await aware.update("survivor", [state])) }
            let groups = await cluster.processGroups()
            let hostname = cluster.agents[0].hostname
            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/admin/agents/\(hostname)/partition").status == 200)
            _ = try await aware.update("survivor", ["TASK_UNREACHABLE"])
            #expect(groups.allSatisfy { !ProcessGroupMemory.members(ofGroup: $0).isEmpty }, "processes keep running in a partition")
            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/admin/agents/\(hostname)/heal").status == 200)
            let back = try await aware.waitFor { event in
                guard let status = (event["update"] as? [String: Any])?["status"] as? [String: Any] else { return false }
                return (status["task_id"] as? [String: Any])?["value"] as? String == "survivor"
                    && status["reason"] as? String == "REASON_AGENT_REREGISTERED"
            }
            let status = try #require((back["update"] as? [String: Any])?["status"] as? [String: Any])
            #expect(status["state"] as? String == "TASK_RUNNING")
            #expect(try await aware.call("KILL", ["task_id": ["value": "survivor"]]).status == 202)
            _ = try await aware.update("survivor", ["TASK_KILLED"])
        }
    }

    @Test func maintenanceScheduleSendsUnavailabilityAndInverseOffers() async throws {
        try await withCluster(agents: 2, virtual: true, portBase: 45100) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offers = try await scheduler.offers()
            #expect(offers.count == 2)
            let first = try #require(offers.first { $0["hostname"] as? String == "127.0.0.2" })
            try await scheduler.launch(offer: first, tasks: [commandTask("on-r1", agent: first["agent_id"]!, command: "x")], refuseSeconds: 0)
            try await scheduler.acknowledge(try await scheduler.update("on-r1", ["TASK_RUNNING"]))

            let start = Int64(Date().timeIntervalSince1970 * 1e9) + 3_600_000_000_000
            let schedule: [String: Any] = ["type": "UPDATE_MAINTENANCE_SCHEDULE", "update_maintenance_schedule": ["schedule": ["windows": [
                ["machine_ids": [["hostname": "127.0.0.2", "ip": "127.0.0.2"]], "unavailability": ["start": ["nanoseconds": start]]]]]]]
            let response = try await RawHTTP.send(port: cluster.port, "POST", "/api/v1", headers: RawHTTP.jsonHeaders, body: RawHTTP.json(schedule))
            #expect(response.status == 200, "\(response.text)")
            let inverse = try await scheduler.waitFor { $0["type"] as? String == "INVERSE_OFFERS" }
            let inverseOffers = try #require((inverse["inverse_offers"] as? [String: Any])?["inverse_offers"] as? [[String: Any]])
            #expect(inverseOffers.count == 1)
            #expect((((inverseOffers[0]["unavailability"] as? [String: Any])?["start"] as? [String: Any])?["nanoseconds"] as? NSNumber)?.int64Value == start)
            let withUnavailability = try await scheduler.waitFor { event in
                guard event["type"] as? String == "OFFERS", let list = (event["offers"] as? [String: Any])?["offers"] as? [[String: Any]] else { return false }
                return list.contains { $0["hostname"] as? String == "127.0.0.2" && $0["unavailability"] != nil }
            }
            #expect(withUnavailability["type"] as? String == "OFFERS")
            #expect(try await scheduler.call("ACCEPT_INVERSE_OFFERS", ["inverse_offer_ids": [inverseOffers[0]["id"]!]]).status == 202)

            // Bringing the machine down ends its tasks.
            let down: [String: Any] = ["type": "START_MAINTENANCE", "start_maintenance": ["machines": [["hostname": "127.0.0.2", "ip": "127.0.0.2"]]]]
            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/api/v1", headers: RawHTTP.jsonHeaders, body: RawHTTP.json(down)).status == 200)
            let gone = try await scheduler.update("on-r1", ["TASK_LOST", "TASK_GONE_BY_OPERATOR"])
            #expect(gone["state"] as? String == "TASK_LOST")
            let up: [String: Any] = ["type": "STOP_MAINTENANCE", "stop_maintenance": ["machines": [["hostname": "127.0.0.2", "ip": "127.0.0.2"]]]]
            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/api/v1", headers: RawHTTP.jsonHeaders, body: RawHTTP.json(up)).status == 200)
        }
    }

    @Test func drainingKillsTasksAndDeactivationStopsOffers() async throws {
        try await withCluster(agents: 1, virtual: true, portBase: 45200) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offer = try await scheduler.firstOffer()
            let agentID = try #require((offer["agent_id"] as? [String: Any])?["value"] as? String)
            try await scheduler.launch(offer: offer, tasks: [commandTask("drained", agent: offer["agent_id"]!, command: "x")])
            _ = try await scheduler.update("drained", ["TASK_RUNNING"])
            let drain: [String: Any] = ["type": "DRAIN_AGENT", "drain_agent": ["agent_id": ["value": agentID], "max_grace_period": ["seconds": 1]]]
            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/api/v1", headers: RawHTTP.jsonHeaders, body: RawHTTP.json(drain)).status == 200)
            let killed = try await scheduler.update("drained", ["TASK_KILLED"])
            #expect(killed["reason"] as? String == "REASON_AGENT_DRAINING")
            let offersBefore = scheduler.allEvents.filter { $0["type"] as? String == "OFFERS" }.count
            try await Task.sleep(for: .milliseconds(600))
            #expect(scheduler.allEvents.filter { $0["type"] as? String == "OFFERS" }.count == offersBefore)
            let reactivate: [String: Any] = ["type": "REACTIVATE_AGENT", "reactivate_agent": ["agent_id": ["value": agentID]]]
            #expect(try await RawHTTP.send(port: cluster.port, "POST", "/api/v1", headers: RawHTTP.jsonHeaders, body: RawHTTP.json(reactivate)).status == 200)
            _ = try await scheduler.offers(after: offersBefore, timeout: 10)
        }
    }

    @Test func virtualModeRunsManyTasksWithoutProcessesAndRescindsStaleOffers() async throws {
        try await withCluster(agents: 20, virtual: true, portBase: 45300, configure: { $0.offerTimeout = 4 }) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offers = try await scheduler.offers()
            #expect(offers.count == 20)
            let check: [String: Any] = ["type": "TCP", "tcp": ["port": 1]]
            for (index, offer) in offers.prefix(10).enumerated() {
                let tasks = (0..<10).map { commandTask("v-\(index)-\($0)", agent: offer["agent_id"]!, command: "x", extra: ["health_check": check]) }
                try await scheduler.launch(offer: offer, tasks: tasks, refuseSeconds: 60)
            }
            for index in 0..<10 {
                for task in 0..<10 {
                    let status = try await scheduler.update("v-\(index)-\(task)", ["TASK_RUNNING"])
                    #expect(status["healthy"] as? Bool == true)
                }
            }
            #expect(await cluster.processGroups().isEmpty)
            // The ten offers never answered are rescinded after the offer timeout.
            try await scheduler.waitFor(timeout: 30) { $0["type"] as? String == "RESCIND" }
        }
    }
}
