import Foundation
import Testing
@testable import DevCluster

/// Offers, validation, acknowledgements, reconciliation and failover, as a Mesos master does them.
@Suite struct MasterBehaviourTests {
    let partitionAware: [String: Any] = basicFramework.merging(["capabilities": [["type": "PARTITION_AWARE"]]]) { $1 }

    @Test func acceptIsValidatedAgainstTheOffer() async throws {
        try await withCluster(agents: 1, virtual: true, portBase: 44000) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: partitionAware)
            let offer = try await scheduler.firstOffer()
            let agent = offer["agent_id"]!
            try await scheduler.launch(offer: offer, tasks: [
                commandTask("fits", agent: agent, command: "true", cpus: 3),
                commandTask("too-big", agent: agent, command: "true", cpus: 2),   // 3 + 2 > 4: never over-commit
                commandTask("fits", agent: agent, command: "true", cpus: 0.5),    // duplicate id
                commandTask("bad/id", agent: agent, command: "true"),
            ])
            let tooBig = try await scheduler.update("too-big", ["TASK_ERROR"])
            #expect(tooBig["reason"] as? String == "REASON_TASK_INVALID")
            #expect(tooBig["source"] as? String == "SOURCE_MASTER")
            #expect((tooBig["message"] as? String)?.contains("more resources") == true)
            #expect(tooBig["uuid"] == nil)
            _ = try await scheduler.update("bad/id", ["TASK_ERROR"])
            let running = try await scheduler.update("fits", ["TASK_RUNNING"])
            #expect(running["state"] as? String == "TASK_RUNNING")
            try await scheduler.waitFor { event in
                guard let status = (event["update"] as? [String: Any])?["status"] as? [String: Any] else { return false }
                return (status["task_id"] as? [String: Any])?["value"] as? String == "fits" && status["state"] as? String == "TASK_ERROR"
            }
            // The same offer again is no longer valid: TASK_DROPPED for a partition-aware framework.
            try await scheduler.launch(offer: offer, tasks: [commandTask("late", agent: agent, command: "true")])
            let dropped = try await scheduler.update("late", ["TASK_DROPPED", "TASK_LOST"])
            #expect(dropped["state"] as? String == "TASK_DROPPED")
            #expect(dropped["reason"] as? String == "REASON_INVALID_OFFERS")
            let state = try await RawHTTP.send(port: cluster.port, "GET", "/master/state").json()
            let used = ((state["slaves"] as? [[String: Any]])?.first?["used_resources"] as? [String: Any])?["cpus"] as? Double
            #expect(used == 3)
        }
    }

    @Test func declineFiltersSuppressAndRevive() async throws {
        try await withCluster(agents: 1, virtual: true, portBase: 44100) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offer = try await scheduler.firstOffer()
            #expect(offer["hostname"] as? String == "127.0.0.2")
            #expect(((offer["allocation_info"] as? [String: Any])?["role"]) as? String == "*")
            #expect(try await scheduler.call("DECLINE", ["offer_ids": [offer["id"]!], "filters": ["refuse_seconds": 0.5]]).status == 202)
            let again = try await scheduler.offers(after: 1, timeout: 10)
            #expect(again.count == 1)
            #expect(try await scheduler.call("SUPPRESS", [:]).status == 202)
            #expect(try await scheduler.call("DECLINE", ["offer_ids": [again[0]["id"]!], "filters": ["refuse_seconds": 0]]).status == 202)
            try await Task.sleep(for: .milliseconds(800))
            let countSuppressed = scheduler.allEvents.filter { $0["type"] as? String == "OFFERS" }.count
            #expect(countSuppressed == 2, "no offers while suppressed")
            #expect(try await scheduler.call("REVIVE", [:]).status == 202)
            _ = try await scheduler.offers(after: 2, timeout: 10)
        }
    }

    @Test func updatesAreResentUntilAcknowledged() async throws {
        try await withCluster(agents: 1, virtual: true, portBase: 44200, configure: { $0.statusUpdateRetryInterval = 0.3 }) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offer = try await scheduler.firstOffer()
            try await scheduler.launch(offer: offer, tasks: [commandTask("t1", agent: offer["agent_id"]!, command: "true")])
            let first = try await scheduler.update("t1", ["TASK_RUNNING"])
            #expect(first["uuid"] is String)
            #expect(try await eventually(timeout: 10) { scheduler.updates("t1").count >= 2 })
            let resent = scheduler.updates("t1")
            #expect(resent[1]["uuid"] as? String == first["uuid"] as? String)
            try await scheduler.acknowledge(first)
            try await Task.sleep(for: .milliseconds(1500))
            let settled = scheduler.updates("t1").count
            try await Task.sleep(for: .milliseconds(1000))
            #expect(scheduler.updates("t1").count == settled, "no re-sends after the acknowledgement")
        }
    }

    @Test func reconciliationAnswersAsTheMaster() async throws {
        try await withCluster(agents: 1, virtual: true, portBase: 44300) { cluster in
            let aware = try await TestScheduler.subscribe(port: cluster.port, framework: partitionAware)
            let offer = try await aware.firstOffer()
            let agent = offer["agent_id"]!
            try await aware.launch(offer: offer, tasks: [commandTask("known", agent: agent, command: "true")])
            try await aware.acknowledge(try await aware.update("known", ["TASK_RUNNING"]))
            #expect(try await aware.call("RECONCILE", ["tasks": [["task_id": ["value": "known"]], ["task_id": ["value": "nobody"]],
                                                                 ["task_id": ["value": "elsewhere"], "agent_id": agent]]]).status == 202)
            let known = try await aware.waitFor { event in
                let status = (event["update"] as? [String: Any])?["status"] as? [String: Any]
                return (status?["task_id"] as? [String: Any])?["value"] as? String == "known" && status?["reason"] as? String == "REASON_RECONCILIATION"
            }
            let status = try #require((known["update"] as? [String: Any])?["status"] as? [String: Any])
            #expect(status["state"] as? String == "TASK_RUNNING")
            #expect(status["source"] as? String == "SOURCE_MASTER")
            #expect(status["uuid"] == nil)
            #expect(try await aware.update("nobody", ["TASK_UNKNOWN", "TASK_LOST"])["state"] as? String == "TASK_UNKNOWN")
            #expect(try await aware.update("elsewhere", ["TASK_GONE", "TASK_LOST"])["state"] as? String == "TASK_GONE")

            // Implicit: every task the master knows for the framework.
            let before = aware.updates("known").count
            #expect(try await aware.call("RECONCILE", ["tasks": [] as [Any]]).status == 202)
            #expect(try await eventually { aware.updates("known").count > before })

            let plain = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            #expect(try await plain.call("RECONCILE", ["tasks": [["task_id": ["value": "nobody"]]]]).status == 202)
            #expect(try await plain.update("nobody", ["TASK_UNKNOWN", "TASK_LOST"])["state"] as? String == "TASK_LOST")
        }
    }

    @Test func failoverWithinTimeoutKeepsTasksAndBeyondRemovesTheFramework() async throws {
        try await withCluster(agents: 1, portBase: 44400) { cluster in
            let framework = basicFramework.merging(["failover_timeout": 1.5]) { $1 }
            let first = try await TestScheduler.subscribe(port: cluster.port, framework: framework)
            let offer = try await first.firstOffer()
            try await first.launch(offer: offer, tasks: [commandTask("keeper", agent: offer["agent_id"]!, command: "sleep 300")])
            try await first.acknowledge(try await first.update("keeper", ["TASK_STARTING"]))
            try await first.acknowledge(try await first.update("keeper", ["TASK_RUNNING"]))
            let id = first.frameworkID
            first.close()
            #expect(await first.waitForClose())
            try await Task.sleep(for: .milliseconds(500))

            // Back in time: the task is still there and running.
            let second = try await TestScheduler.subscribe(port: cluster.port, framework: framework, frameworkID: id)
            #expect(second.frameworkID == id)
            #expect(try await second.call("RECONCILE", ["tasks": [] as [Any]]).status == 202)
            #expect(try await second.update("keeper", ["TASK_RUNNING"])["reason"] as? String == "REASON_RECONCILIATION")
            let groups = await cluster.processGroups()
            #expect(groups.allSatisfy { !ProcessGroupMemory.members(ofGroup: $0).isEmpty })

            // Away too long: removed, its task killed, and re-subscribing is refused.
            second.close()
            #expect(await second.waitForClose())
            #expect(try await eventually(timeout: 15) { groups.allSatisfy { ProcessGroupMemory.members(ofGroup: $0).isEmpty } })
            let third = try await TestScheduler.subscribe(port: cluster.port, framework: framework, frameworkID: id)
            let error = try await third.waitFor { $0["type"] as? String == "ERROR" }
            #expect((error["error"] as? [String: Any])?["message"] as? String == "Framework has been removed")
            #expect(await third.waitForClose())
        }
    }

    @Test func teardownEndsTheFrameworkAndItsTasks() async throws {
        try await withCluster(agents: 1, portBase: 44500) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework.merging(["failover_timeout": 600]) { $1 })
            let offer = try await scheduler.firstOffer()
            try await scheduler.launch(offer: offer, tasks: [commandTask("doomed", agent: offer["agent_id"]!, command: "sleep 300")])
            _ = try await scheduler.update("doomed", ["TASK_RUNNING"])
            #expect(try await scheduler.call("TEARDOWN").status == 202)
            #expect(await scheduler.waitForClose())
            let groups = await cluster.processGroups()
            #expect(try await eventually(timeout: 15) { groups.allSatisfy { ProcessGroupMemory.members(ofGroup: $0).isEmpty } })
            let state = try await RawHTTP.send(port: cluster.port, "GET", "/master/frameworks").json()
            #expect((state["frameworks"] as? [Any])?.isEmpty == true)
            #expect((state["completed_frameworks"] as? [Any])?.count == 1)
        }
    }
}
