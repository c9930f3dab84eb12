import Foundation
import Manifests
import Mesos
import Testing
@testable import Scheduler

@Suite("Adapters from Mesos and manifests")
struct AdapterTests {
    func offer(_ id: String, agent: String, role: String? = nil, cpus: Double, ports: [ClosedRange<UInt64>] = [],
               draining: Bool = false, revocableCpus: Double = 0) -> Offer {
        var resources = [Resource.scalar("cpus", cpus, allocationRole: role), Resource.scalar("mem", 1024, allocationRole: role)]
        if !ports.isEmpty { resources.append(.ranges("ports", ports, allocationRole: role)) }
        if revocableCpus > 0 {
            var revocable = Resource.scalar("cpus", revocableCpus, allocationRole: role)
            revocable.revocable = Resource.Empty()
            resources.append(revocable)
        }
        return Offer(id: OfferID(id), frameworkID: FrameworkID("f"), agentID: AgentID(agent), hostname: "\(agent).example",
                     resources: resources, attributes: [.text("rack", "r1"), .scalar("gen", 5)],
                     unavailability: draining ? Unavailability(start: TimeInfo(nanoseconds: 0)) : nil,
                     allocationInfo: role.map { Resource.AllocationInfo(role: $0) })
    }

    @Test func offersMergePerAgentAndRole() {
        let snapshots = AgentSnapshot.fromOffers([
            offer("o1", agent: "a1", role: "web", cpus: 1, ports: [32000...32001]),
            offer("o2", agent: "a1", role: "web", cpus: 2, ports: [31000...31005], revocableCpus: 8),
            offer("o3", agent: "a1", role: "batch", cpus: 4),
            offer("o4", agent: "a2", cpus: 1, draining: true),
        ], states: [:], totals: ["a1": ResourceAmounts(cpus: 16, memMb: 4096, diskMb: 0)])
        #expect(snapshots.map(\.offerIDs) == [["o1", "o2"], ["o3"], ["o4"]])
        #expect(snapshots[0].available.cpus == 3)
        #expect(snapshots[0].role == "web")
        #expect(snapshots[0].ports == [PortRange(31000, 31005), PortRange(32000, 32001)])
        #expect(snapshots[0].attributes == ["rack": "r1", "gen": "5"])
        #expect(snapshots[0].total.cpus == 16)
        #expect(snapshots[0].runsTasks)
        #expect(snapshots[2].state == .draining)
        #expect(snapshots[2].role == "*")
        let decommissioning = AgentSnapshot.fromOffers([offer("o5", agent: "a3", cpus: 1)], states: ["a3": .decommissioning])
        #expect(decommissioning[0].state == .decommissioning)
    }

    @Test func placementsBecomeMesosResources() throws {
        let snapshots = AgentSnapshot.fromOffers([offer("o1", agent: "a1", role: "web", cpus: 2, ports: [31000...31010])])
        let result = fixedOrder.place([task(cpus: 0.5, mem: 128, ports: 2)], on: snapshots)
        let placement = try #require(result.placements.first)
        let resources = placement.mesosResources
        #expect(resources.map(\.name) == ["cpus", "mem", "ports"])
        #expect(resources.allSatisfy { $0.allocationInfo?.role == "web" })
        #expect(resources[2].ranges?.range.map(\.begin) == [31000, 31001])
    }

    @Test func statusUpdatesReduceToTaskUpdates() {
        let status = TaskStatus(taskID: TaskID("t1"), state: .running, message: "ok", timestamp: 1_700_000_000, healthy: true)
        let update = TaskUpdate(status, receivedAt: Date())
        #expect(update == TaskUpdate(taskID: "t1", state: .running, healthy: true, message: "ok", timestamp: Date(timeIntervalSince1970: 1_700_000_000)))
    }

    /// Fires of a daily 02:30 job across both DST changes of Europe/Berlin, stepping minute by minute:
    /// one run per fire time, none for the wall-clock time that does not exist twice.
    @Test(arguments: ["30 2 * * *", "0 * * * *", "*/15 1-3 * * *", "0 3 * * 0"])
    func scheduledFiresOncePerFireTimeAcrossDST(expression: String) throws {
        let zone = try #require(TimeZone(identifier: "Europe/Berlin"))
        let schedule = CronSchedule(expression: try CronExpression(parsing: expression), timeZone: zone)
        for (start, days) in [(1_711_756_800.0, 3.0), (1_729_987_200.0, 3.0)] {   // 2024-03-30 and 2024-10-27 (UTC midnight)
            var runs: [JobRun] = []
            var now = Date(timeIntervalSince1970: start)
            let end = now.addingTimeInterval(days * 86_400)
            let notBefore = now
            while now < end {
                let decision = ScheduledJob.decide(.init(schedule: schedule, policy: JobPolicy(), runs: runs, notBefore: notBefore, now: now))
                for case .launch(let fire, let attempt) in decision.actions {
                    #expect(attempt == 0)
                    #expect(decision.foldedFires == 0, "stepping every minute never misses a fire")
                    runs.append(JobRun(taskID: "r\(runs.count)", agentID: "a", fireTime: fire, startedAt: now, outcome: .succeeded, endedAt: now))
                }
                now = now.addingTimeInterval(60)
            }
            // Exactly the fire times the schedule lists, each once, in order.
            var expected: [Date] = []
            var cursor = notBefore
            while let fire = schedule.nextFire(after: cursor), fire < end {
                expected.append(fire)
                cursor = fire
            }
            #expect(runs.map(\.fireTime) == expected)
            #expect(Set(runs.map(\.fireTime)).count == runs.count)
        }
    }

    /// Random downtime windows: however long the scheduler was away, one run catches up.
    @Test(arguments: 0..<100)
    func missedFiresRunOnceAfterDowntime(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed))
        let zone = try #require(TimeZone(identifier: ["Europe/Berlin", "America/New_York", "UTC", "Australia/Sydney"][seed % 4]))
        let schedule = CronSchedule(expression: try CronExpression(parsing: ["*/5 * * * *", "0 */2 * * *", "30 2 * * *", "0 0 * * 1"][Int(random.next() % 4)]), timeZone: zone)
        let lastFire = try #require(schedule.nextFire(after: Date(timeIntervalSince1970: 1_700_000_000 + Double(random.next() % 30_000_000))))
        let now = lastFire.addingTimeInterval(Double(random.next() % 2_000_000))
        let runs = [JobRun(taskID: "r", agentID: "a", fireTime: lastFire, startedAt: lastFire, outcome: .succeeded, endedAt: lastFire)]
        let decision = ScheduledJob.decide(.init(schedule: schedule, policy: JobPolicy(), runs: runs, notBefore: .distantPast, now: now))
        let launches = decision.actions.compactMap { action -> Date? in
            if case .launch(let fire, _) = action { return fire } else { return nil }
        }
        #expect(launches.count <= 1)
        if let fire = launches.first {
            #expect(fire > lastFire && fire <= now)
            let next = try #require(schedule.nextFire(after: fire))
            #expect(next > now, "the run is for the latest missed fire")
        } else {
            #expect((schedule.nextFire(after: lastFire) ?? .distantFuture) > now)
        }
    }
}
