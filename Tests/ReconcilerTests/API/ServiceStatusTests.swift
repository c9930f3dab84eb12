import Foundation
import Manifests
import Scheduler
import Testing
@testable import Reconciler

/// One row of a status table: a desired workload, what the core holds, and the expected answer.
struct StatusCase: Sendable, CustomTestStringConvertible {
    var name: String
    var desired: Workload?
    var service: ServiceSnapshot?
    /// Seconds after the fixtures' epoch.
    var at: TimeInterval = 10
    var sync: SyncStatus
    var health: HealthStatus
    var reason: String? = nil

    var testDescription: String { name }
}

private let web = APIFixtures.workloads["web"]!
private let queue = APIFixtures.workloads["queue"]!
private let report = APIFixtures.workloads["report"]!
private let epoch = APIFixtures.epoch
private let webV2 = APIFixtures.changed("web") { $0.replacingOccurrences(of: "LOG_LEVEL: info", with: "LOG_LEVEL: debug") }
private let webOwners = APIFixtures.changed("web") { $0.replacingOccurrences(of: "owners: [team-web]", with: "owners: [team-edge]") }
private let spreadAll = APIFixtures.parse("""
    apiVersion: converge/v1
    kind: Worker
    metadata: {name: agentd}
    spec:
      command: sleep 1000
      placement: {spread: spreadAllAgents}
    """)["agentd"]!

private func snapshot(_ workload: Workload, _ edit: (inout ServiceSnapshot) -> Void) -> ServiceSnapshot {
    var service = APIFixtures.converged(workload)
    edit(&service)
    return service
}

private func override(_ kind: Override.Kind, value: Int? = nil, expires: TimeInterval? = 3_600) -> Override {
    Override(service: "web", kind: kind, value: value, reason: "incident 42", createdAt: epoch, expiresAt: expires.map { epoch.addingTimeInterval($0) })
}

private let cases: [StatusCase] = [
    StatusCase(name: "converged service", desired: web, service: APIFixtures.converged(web), sync: .synced, health: .healthy),
    StatusCase(name: "converged worker", desired: queue, service: APIFixtures.converged(queue), sync: .synced, health: .healthy),
    StatusCase(name: "desired, unknown to the core", desired: web, service: nil, sync: .outOfSync, health: .missing),
    StatusCase(name: "job unknown to the core", desired: report, service: nil, sync: .outOfSync, health: .healthy),
    StatusCase(name: "only in the core: to be deleted", desired: nil, service: APIFixtures.converged(web), sync: .outOfSync, health: .healthy),
    StatusCase(name: "template changed: new deploy id", desired: webV2, service: APIFixtures.converged(web), sync: .outOfSync, health: .healthy),
    StatusCase(name: "owners changed: request hash", desired: webOwners, service: APIFixtures.converged(web), sync: .outOfSync, health: .healthy),
    StatusCase(name: "scale override is drift", desired: web, service: snapshot(web) {
        $0.overrides = [override(.scale, value: 5)]
        $0.effectiveInstances = 5
    }, sync: .outOfSync, health: .progressing),
    StatusCase(name: "expired override is no drift", desired: web, service: snapshot(web) { $0.overrides = [override(.scale, value: 5, expires: 5)] },
               sync: .synced, health: .healthy),
    StatusCase(name: "effective instances differ", desired: web, service: snapshot(web) { $0.effectiveInstances = 2 },
               sync: .outOfSync, health: .healthy),
    StatusCase(name: "spreadAllAgents counts agents, not instances", desired: spreadAll, service: snapshot(spreadAll) {
        $0.effectiveInstances = 2
        $0.tasks.append(APIFixtures.task("agentd", 1, deploy: spreadAll.deployId))
    }, sync: .synced, health: .healthy),
    StatusCase(name: "paused", desired: web, service: snapshot(web) {
        $0.overrides = [override(.pause, expires: nil)]
        $0.effectiveInstances = 0
        $0.tasks = []
    }, sync: .outOfSync, health: .suspended, reason: "paused: incident 42"),
    StatusCase(name: "job whose last run failed", desired: report, service: snapshot(report) {
        $0.jobRuns = [JobRun(taskID: "r1", agentID: "a1", fireTime: epoch, startedAt: epoch, outcome: .succeeded),
                      JobRun(taskID: "r2", agentID: "a1", fireTime: epoch, startedAt: epoch, outcome: .failed)]
    }, sync: .synced, health: .degraded, reason: "last run r2 failed"),
    StatusCase(name: "job whose last run succeeded", desired: report, service: snapshot(report) {
        $0.jobRuns = [JobRun(taskID: "r1", agentID: "a1", fireTime: epoch, startedAt: epoch, outcome: .failed),
                      JobRun(taskID: "r2", agentID: "a1", fireTime: epoch, startedAt: epoch, outcome: .succeeded)]
    }, sync: .synced, health: .healthy),
    StatusCase(name: "deploy failed", desired: web, service: snapshot(web) { $0.deployStatus = .failed(reason: "not healthy within 60s") },
               sync: .synced, health: .degraded, reason: "deploy \(web.deployId) failed: not healthy within 60s"),
    StatusCase(name: "deploy history says failed", desired: web, service: snapshot(web) {
        $0.deployStatus = nil
        $0.deploys[0].outcome = .failed
        $0.deploys[0].reason = "exit 1"
    }, sync: .synced, health: .degraded, reason: "deploy \(web.deployId) failed: exit 1"),
    StatusCase(name: "crash-loop cooldown", desired: web, service: snapshot(web) {
        $0.launchGate = .cooldown(until: epoch.addingTimeInterval(300), reason: "crash loop: 5 failures in 60s")
    }, sync: .synced, health: .degraded, reason: "crash loop: 5 failures in 60s"),
    StatusCase(name: "no live task", desired: web, service: snapshot(web) {
        $0.tasks = $0.tasks.map { var t = $0; t.state = .failed; return t }
        $0.pendingReason = "no agent with 0.5 cpus"
    }, sync: .synced, health: .missing, reason: "no live task: no agent with 0.5 cpus"),
    StatusCase(name: "deploy in progress", desired: webV2, service: snapshot(webV2) {
        $0.deployStatus = .inProgress(healthy: 1, desired: 3)
        $0.deploys = [DeployHistoryEntry(service: "web", deployID: webV2.deployId, revision: "rev2", startedAt: epoch, outcome: .inProgress)]
        $0.tasks = [APIFixtures.task("web", 0, deploy: webV2.deployId), APIFixtures.task("web", 1, deploy: web.deployId),
                    APIFixtures.task("web", 2, deploy: web.deployId)]
    }, at: 30, sync: .synced, health: .progressing, reason: "deploy \(webV2.deployId): 1 of 3 healthy"),
    StatusCase(name: "deploy in progress past its deadline", desired: webV2, service: snapshot(webV2) {
        $0.deployStatus = .inProgress(healthy: 1, desired: 3)
        $0.deploys = [DeployHistoryEntry(service: "web", deployID: webV2.deployId, revision: "rev2", startedAt: epoch, outcome: .inProgress)]
        $0.tasks = [APIFixtures.task("web", 0, deploy: webV2.deployId), APIFixtures.task("web", 1, deploy: web.deployId)]
    }, at: 61, sync: .synced, health: .degraded, reason: "deploy \(webV2.deployId): 1 of 3 healthy after 60s"),
    StatusCase(name: "replacement starting", desired: web, service: snapshot(web) {
        $0.tasks[2] = APIFixtures.task("web", 2, deploy: web.deployId, state: .starting, healthy: false, launchedAt: epoch.addingTimeInterval(5))
    }, at: 20, sync: .synced, health: .progressing, reason: "2 of 3 healthy"),
    StatusCase(name: "task unhealthy past the deadline", desired: web, service: snapshot(web) {
        $0.tasks[2] = APIFixtures.task("web", 2, deploy: web.deployId, healthy: false)
    }, at: 120, sync: .synced, health: .degraded, reason: "2 of 3 healthy; 1 not healthy after 60s"),
    StatusCase(name: "restart backoff", desired: web, service: snapshot(web) {
        $0.tasks.removeLast()
        $0.launchGate = .backoff(until: epoch.addingTimeInterval(30), consecutiveFailures: 2)
    }, sync: .synced, health: .progressing, reason: "2 of 3 healthy; restart backoff after 2 failures"),
    StatusCase(name: "waiting for resources", desired: web, service: snapshot(web) {
        $0.tasks.removeLast()
        $0.pendingReason = "no agent with 0.5 cpus"
    }, sync: .synced, health: .progressing, reason: "2 of 3 healthy; waiting for resources: no agent with 0.5 cpus"),
]

@Suite struct ServiceStatusTests {
    @Test(arguments: cases)
    func statusTable(_ row: StatusCase) {
        let now = epoch.addingTimeInterval(row.at)
        let sync = SyncStatus.evaluate(desired: row.desired, service: row.service, now: now)
        let health = HealthStatus.evaluate(desired: row.desired, service: row.service, now: now)
        #expect(sync.status == row.sync)
        #expect((sync.status == .synced) == (sync.reason == nil))
        #expect(health.status == row.health, "\(health.reason ?? "")")
        if let reason = row.reason { #expect(health.reason == reason) }
        #expect((health.status == .healthy) == (health.reason == nil))
    }

    @Test func statusesCoverDesiredAndCoreNamesSorted() {
        var services = APIFixtures.workloads.mapValues { APIFixtures.converged($0) }
        services["web"] = nil
        services["legacy"] = APIFixtures.converged(APIFixtures.parse("""
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: legacy}
            spec: {command: sleep 1}
            """)["legacy"]!)
        let state = APIFixtures.state(services: services)
        let statuses = state.serviceStatuses(now: epoch)
        #expect(statuses.map(\.name) == ["legacy", "nightly", "queue", "report", "web"])
        let legacy = statuses[0], webStatus = statuses[4]
        #expect(legacy.sync == .outOfSync && legacy.syncReason == "not in the applied revision: to be deleted")
        #expect(webStatus.sync == .outOfSync && webStatus.health == .missing)
        #expect(webStatus.desiredInstances == 3 && webStatus.runningInstances == 0 && webStatus.deployId == web.deployId)
        #expect(state.serviceStatus(named: "nope", now: epoch) == nil)
    }

    @Test func countsFollowTheCore() throws {
        let service = snapshot(web) {
            $0.effectiveInstances = 5
            $0.overrides = [override(.scale, value: 5)]
            $0.tasks.append(APIFixtures.task("web", 3, deploy: web.deployId, state: .starting, healthy: false))
            $0.tasks.append(APIFixtures.task("web", 4, deploy: web.deployId, state: .killed, healthy: false))
        }
        let status = ServiceStatus(name: "web", desired: web, service: service, now: epoch)
        #expect(status.desiredInstances == 5)
        #expect(status.runningInstances == 3)
        #expect(status.healthyInstances == 3)
        #expect(status.updatedInstances == 3 && status.updatedHealthyInstances == 3)
        #expect(status.kind == "Service")
        #expect(status.owners == ["team-web"] && status.lastRun == nil && status.nextRun == nil)
        #expect(status.sourceFile == "services.yaml" && status.sourceLine == 1)
    }

    /// Mid-deploy: READY counts every healthy instance of any deploy (what serves traffic), UP-TO-DATE only the
    /// target deploy's.
    @Test func countsMidDeploy() {
        let service = snapshot(webV2) {
            $0.deployStatus = .inProgress(healthy: 1, desired: 3)
            $0.tasks = [APIFixtures.task("web", 0, deploy: webV2.deployId),
                        APIFixtures.task("web", 1, deploy: webV2.deployId, healthy: false),
                        APIFixtures.task("web", 1, deploy: web.deployId),
                        APIFixtures.task("web", 2, deploy: web.deployId),
                        APIFixtures.task("web", 3, deploy: web.deployId, state: .killed, healthy: false)]
        }
        let status = ServiceStatus(name: "web", desired: webV2, service: service, now: epoch.addingTimeInterval(30))
        #expect(status.deployId == webV2.deployId)
        #expect(status.desiredInstances == 3)
        #expect(status.runningInstances == 4)
        #expect(status.healthyInstances == 3)
        #expect(status.updatedInstances == 2)
        #expect(status.updatedHealthyInstances == 1)
        let document = ServiceDocument(status)
        #expect(document.instances == ServiceDocument.Instances(desired: 3, running: 4, healthy: 3, updated: 2, updatedHealthy: 1))
    }

    /// Jobs show their newest run and, when Scheduled, the next cron fire in the schedule's time zone.
    @Test func jobsShowLastAndNextRun() throws {
        let berlin = APIFixtures.parse("""
            apiVersion: converge/v1
            kind: Scheduled
            metadata: {name: nightly}
            spec:
              schedule: "0 3 * * *"
              timeZone: Europe/Berlin
              command: echo nightly
            """)["nightly"]!
        let runs = [JobRun(taskID: "n1", agentID: "a1", fireTime: epoch, startedAt: epoch, outcome: .succeeded, endedAt: epoch.addingTimeInterval(4)),
                    JobRun(taskID: "n2", agentID: "a1", fireTime: epoch, startedAt: epoch.addingTimeInterval(60), outcome: .failed,
                           endedAt: epoch.addingTimeInterval(65))]
        let service = snapshot(berlin) { $0.jobRuns = runs }
        let status = ServiceStatus(name: "nightly", desired: berlin, service: service, now: epoch)
        #expect(status.lastRun?.taskID == "n2" && status.lastRun?.outcome == .failed)
        // 2026-09-21 14:13:20 UTC; 03:00 in Berlin (CEST, UTC+2) is 01:00 UTC the next day.
        #expect(status.nextRun.map(APIDate.format) == "2026-09-22T01:00:00.000Z")
        // The core's own next fire wins while it is ahead.
        let ahead = epoch.addingTimeInterval(600)
        let scheduled = ServiceStatus(name: "nightly", desired: berlin, service: snapshot(berlin) { $0.nextFire = ahead }, now: epoch)
        #expect(scheduled.nextRun == ahead)
        let document = ServiceDocument(status)
        #expect(document.isJob)
        #expect(document.lastRun?.outcome == "failed" && document.lastRun?.taskId == "n2")
        #expect(document.json.rendered().contains(#""lastRun":{"taskId":"n2","startedAt":"2026-09-21T14:14:20.000Z","endedAt":"2026-09-21T14:14:25.000Z","outcome":"failed"},"nextRun":"2026-09-22T01:00:00.000Z""#))
        // OnDemand: a last run, no next run; never run: null.
        let report = ServiceStatus(name: "report", desired: report, service: APIFixtures.converged(report), now: epoch)
        #expect(report.lastRun == nil && report.nextRun == nil)
        #expect(ServiceDocument(report).json.rendered().contains(#""lastRun":null,"nextRun":null"#))
    }
}

@Suite struct OverrideDurationTests {
    @Test(arguments: [("30s", 30.0), ("15m", 900), ("2h", 7_200), ("1d", 86_400), ("1h30m", 5_400), (" 45s ", 45), ("30d", 2_592_000)])
    func parses(_ text: String, _ seconds: Double) throws {
        #expect(try OverrideDuration.parse(text) == seconds)
    }

    @Test(arguments: [
        ("", "empty"), ("2", "a number needs a unit"), ("h", "without a number"), ("2x", "unexpected \"x\""),
        ("0s", "longer than zero"), ("31d", "maximum of 30d"), ("1h1h", "given twice"), ("-5m", "unexpected \"-\""),
        ("99999999999s", "number too large"),
    ])
    func refuses(_ text: String, _ fragment: String) {
        #expect {
            try OverrideDuration.parse(text)
        } throws: { error in
            let message = String(describing: error)
            return message.contains(fragment) && message.contains("invalid duration")
        }
    }

    @Test func formats() {
        #expect(OverrideDuration.format(5_400) == "1h30m")
        #expect(OverrideDuration.format(90_061) == "1d1h1m1s")
        #expect(OverrideDuration.format(0) == "0s")
    }
}
