import Foundation
import Manifests
import Scheduler
import Testing
@testable import Reconciler

private let revision = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"

private func record(_ id: Int, _ outcome: SyncRecord.Outcome, at seconds: TimeInterval) -> SyncRecord {
    SyncRecord(id: id, revision: revision, trigger: .poll, startedAt: APIFixtures.epoch.addingTimeInterval(seconds),
               finishedAt: APIFixtures.epoch.addingTimeInterval(seconds + 1.5), outcome: outcome, message: "sync \(id)",
               summary: outcome == .rejected ? nil : Plan().summary, errors: outcome == .rejected ? ["web.yaml:3:1: spec: bad"] : [])
}

@Suite(.serialized) struct APIReadEndpointTests {
    @Test func healthAndReadiness() async throws {
        let handle = RecordingHandle(APIFixtures.state(ready: false))
        try await withAPIServer(handle) { server, _ in
            let health = try await TestHTTP.get(server.baseURL + "/healthz")
            #expect(health.status == 200 && health.text == "ok\n")
            let notReady = try await TestHTTP.get(server.baseURL + "/readyz")
            #expect(notReady.status == 503)
            handle.update { $0.ready = true }
            let ready = try await TestHTTP.get(server.baseURL + "/readyz")
            #expect(ready.status == 200)
            let unknown = try await TestHTTP.get(server.baseURL + "/nope")
            #expect(unknown.status == 404)
            #expect(try unknown.decode(ErrorDocument.self).error == "no such endpoint: /nope")
            let wrongMethod = try await TestHTTP.post(server.baseURL + "/api/v1/status")
            #expect(wrongMethod.status == 405 && wrongMethod.header("Allow") == "GET")
        }
    }

    @Test func statusShapeIsExact() async throws {
        let history = [record(8, .synced, at: 1), record(7, .rejected, at: 0)]
        let handle = RecordingHandle(APIFixtures.state(history: history))
        try await withAPIServer(handle) { server, _ in
            let reply = try await TestHTTP.get(server.baseURL + "/api/v1/status")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(reply.text == """
                {"revision":"\(revision)","branch":"main","path":"prod","repository":"https://git.example.com/ops/cluster.git",\
                "latestRevision":"\(revision)","lastSync":{"revision":"\(revision)","at":"2026-09-21T14:13:22.500Z","outcome":"synced",\
                "message":"sync 8"},"ready":true,"framework":{"id":"fw-1","connected":true}}

                """)
            let document = try reply.decode(StatusDocument.self)
            #expect(document.lastSync?.at == APIFixtures.epoch.addingTimeInterval(2.5))
        }
        let empty = RecordingHandle(APIFixtures.state(history: []))
        try await withAPIServer(empty) { server, _ in
            let object = try #require(try await TestHTTP.get(server.baseURL + "/api/v1/status").json() as? [String: Any])
            #expect(object["lastSync"] is NSNull)
            #expect(Set(object.keys) == ["revision", "branch", "path", "repository", "latestRevision", "lastSync", "ready", "framework"])
        }
    }

    @Test func servicesListAndDetail() async throws {
        let web = APIFixtures.workloads["web"]!
        var services = APIFixtures.workloads.mapValues { APIFixtures.converged($0) }
        services["web"]!.overrides = [Override(service: "web", kind: .scale, value: 4, reason: "incident", createdAt: APIFixtures.epoch,
                                               expiresAt: APIFixtures.epoch.addingTimeInterval(7_200))]
        services["web"]!.effectiveInstances = 4
        services["web"]!.pendingReason = "no agent with 0.5 cpus"
        let handle = RecordingHandle(APIFixtures.state(services: services))
        try await withAPIServer(handle) { server, _ in
            let list = try await TestHTTP.get(server.baseURL + "/api/v1/services")
            #expect(list.status == 200)
            let entries = try list.decode([ServiceDocument].self)
            #expect(entries.map(\.name) == ["nightly", "queue", "report", "web"])
            #expect(list.text.contains("""
                {"name":"queue","kind":"Worker","deployId":"\(APIFixtures.workloads["queue"]!.deployId)",\
                "instances":{"desired":2,"running":2,"healthy":2,"updated":2,"updatedHealthy":2},"sync":"Synced","health":"Healthy",\
                "owners":[],"labels":{},"lastRun":null,"nextRun":null}
                """))
            #expect(entries[3].sync == .outOfSync && entries[3].health == .progressing)
            #expect(entries[3].instances == ServiceDocument.Instances(desired: 4, running: 3, healthy: 3, updated: 3, updatedHealthy: 3))
            #expect(entries[3].owners == ["team-web"])

            let detail = try await TestHTTP.get(server.baseURL + "/api/v1/services/web")
            #expect(detail.status == 200)
            let object = try #require(try detail.json() as? [String: Any])
            #expect(Set(object.keys) == ["name", "kind", "deployId", "instances", "sync", "health", "owners", "labels", "lastRun", "source",
                                         "syncReason", "healthReason", "tasks", "deploys", "overrides", "pendingReason", "runs", "nextRun"])
            #expect(detail.text.contains(#""source":{"file":"services.yaml","line":1,"revision":"a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"}"#))
            let tasks = try #require(object["tasks"] as? [[String: Any]])
            #expect(tasks.count == 3)
            #expect(Set(tasks[0].keys) == ["id", "deployId", "instance", "host", "ports", "state", "healthy", "message", "launchedAt"])
            #expect(detail.text.contains("""
                {"id":"web-0-\(web.deployId)","deployId":"\(web.deployId)","instance":0,"host":"agent-1","ports":[31000],\
                "state":"running","healthy":true,"message":null,"launchedAt":"2026-09-21T14:13:20.000Z"}
                """))
            #expect(detail.text.contains("""
                "deploys":[{"id":"\(web.deployId)","revision":"rev1","state":"succeeded","startedAt":"2026-09-21T14:13:20.000Z",\
                "endedAt":"2026-09-21T14:13:25.000Z","reason":null}]
                """))
            #expect(detail.text.contains("""
                "overrides":[{"kind":"scale","value":4,"reason":"incident","createdAt":"2026-09-21T14:13:20.000Z",\
                "expiresAt":"2026-09-21T16:13:20.000Z"}],"pendingReason":"no agent with 0.5 cpus"
                """))
            let document = try detail.decode(ServiceDetailDocument.self)
            #expect(document.syncReason == "override in force: scale")
            #expect(document.healthReason == "3 of 4 healthy; waiting for resources: no agent with 0.5 cpus")
            // Task environments and secrets are not part of any read answer.
            #expect(!detail.text.contains("hunter2") && !list.text.contains("hunter2"))

            let missing = try await TestHTTP.get(server.baseURL + "/api/v1/services/nope")
            #expect(missing.status == 404)
            #expect(missing.text == "{\"error\":\"no service named nope\"}\n")
        }
    }

    @Test func planHasThePlanFormatShapeAndNoSecrets() async throws {
        let desired = APIFixtures.workloads
        var actualWorkloads = desired
        actualWorkloads["web"] = APIFixtures.changed("web") {
            $0.replacingOccurrences(of: "DB_PASSWORD: hunter2", with: "DB_PASSWORD: swordfish")
        }
        actualWorkloads["old"] = APIFixtures.parse("""
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: old}
            spec: {command: sleep 1}
            """)["old"]!
        let plan = Planner.plan(desired: ClusterView(workloads: desired.values.map(WorkloadState.init)),
                                actual: ClusterView(workloads: actualWorkloads.values.map(WorkloadState.init)))
        let handle = RecordingHandle(APIFixtures.state(plan: plan))
        try await withAPIServer(handle) { server, _ in
            let reply = try await TestHTTP.get(server.baseURL + "/api/v1/plan")
            #expect(reply.status == 200)
            #expect(!reply.text.contains("hunter2") && !reply.text.contains("swordfish"))
            let object = try #require(try reply.json() as? [String: Any])
            #expect(reply.text.hasPrefix("{\"base\":\"\(revision)\",\"target\":\"\(revision)\",\"changes\":["))
            let changes = try #require(object["changes"] as? [[String: Any]])
            #expect(changes.map { $0["name"] as? String } == ["old", "web"])
            #expect(changes.map { $0["action"] as? String } == ["delete", "deploy"])
            #expect(reply.text.contains("""
                "fields":[{"path":"spec.env.DB_PASSWORD","before":"(sensitive)","after":"(sensitive)"}]
                """))
            #expect(reply.text.hasSuffix("""
                "maintenance":[],"summary":{"create":0,"deploy":1,"scale":0,"update":0,"delete":1,"decommission":0,"recommission":0}}

                """))
        }
    }

    @Test func historyNewestFirstWithLimit() async throws {
        let history = [record(3, .synced, at: 20), record(2, .rejected, at: 10), record(1, .failed, at: 0)]
        let handle = RecordingHandle(APIFixtures.state(history: history))
        try await withAPIServer(handle) { server, _ in
            let all = try await TestHTTP.get(server.baseURL + "/api/v1/history")
            let records = try all.decode([SyncRecordDocument].self)
            #expect(records.map(\.id) == [3, 2, 1])
            #expect(records[1].errors == ["web.yaml:3:1: spec: bad"] && records[1].summary == nil)
            #expect(all.text.hasPrefix("""
                [{"id":3,"revision":"\(revision)","trigger":"poll","startedAt":"2026-09-21T14:13:40.000Z",\
                "finishedAt":"2026-09-21T14:13:41.500Z","outcome":"synced","message":"sync 3","summary":{"create":0,"deploy":0,\
                "scale":0,"update":0,"delete":0,"decommission":0,"recommission":0},"errors":[]}
                """))
            let limited = try await TestHTTP.get(server.baseURL + "/api/v1/history?limit=1")
            #expect(try limited.decode([SyncRecordDocument].self).map(\.id) == [3])
        }
    }

    @Test func actualRoundTripsIntoThePlanner() async throws {
        var state = APIFixtures.state()
        state.maintenance = [.hostname("agent-2"), .attributes(["rack": "r7"])]
        let handle = RecordingHandle(state)
        try await withAPIServer(handle) { server, _ in
            let reply = try await TestHTTP.get(server.baseURL + "/api/v1/actual")
            #expect(reply.status == 200)
            #expect(!reply.text.contains("hunter2"))
            #expect(reply.text.contains("\"spec.env.DB_PASSWORD\":\"(sensitive)\""))
            let document = try ActualDocument.parse(reply.body)
            #expect(document.revision == revision)
            let actual = document.view
            #expect(actual.decommissionedAgents == ["agent-2"])
            #expect(actual.maintenance == [.hostname("agent-2"), .attributes(["rack": "r7"])])

            // The same revision plans nothing against it.
            let same = ClusterView(workloads: APIFixtures.workloads.values.map(WorkloadState.init),
                                   maintenance: [.hostname("agent-2"), .attributes(["rack": "r7"])])
            #expect(Planner.plan(desired: same, actual: actual.unmaskingSensitiveFields(from: same)).isEmpty)
            #expect(actual.workloads["web"]?.fields["spec.resources.cpus"] == .number("0.5"))
            #expect(actual.workloads["web"]?.fields["spec.instances"] == .number("3"))
            #expect(actual.workloads["web"]?.fields["spec.placement.rackSensitive"] == .bool(false))
            #expect(actual.workloads["web"]?.fields == WorkloadState(APIFixtures.workloads["web"]!).fields.merging(
                ["spec.env.DB_PASSWORD": SecretMasking.placeholder]) { $1 })
            #expect(throws: ActualDocumentError.self) { try ActualDocument.parse(Data(#"{"workloads":[{"name":"x"}]}"#.utf8)) }
            #expect(throws: ActualDocumentError.self) { try ActualDocument.parse(Data("[]".utf8)) }

            // A changed template plans a deploy listing only the real change, not the masked secret.
            var edited = APIFixtures.workloads
            edited["web"] = APIFixtures.changed("web") { $0.replacingOccurrences(of: "LOG_LEVEL: info", with: "LOG_LEVEL: debug") }
            let target = ClusterView(workloads: edited.values.map(WorkloadState.init), maintenance: same.maintenance)
            let plan = Planner.plan(desired: target, actual: actual.unmaskingSensitiveFields(from: target))
            #expect(plan.deploys.map(\.name) == ["web"])
            #expect(plan.deploys.first?.fields == [FieldChange(path: "spec.env.LOG_LEVEL", before: .string("info"), after: .string("debug"))])
            #expect(plan.summary.total == 1)
        }
    }
}
