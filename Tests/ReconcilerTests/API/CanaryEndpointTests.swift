import Foundation
import Scheduler
import Testing
@testable import Reconciler

@Suite(.serialized) struct CanaryEndpointTests {
    @Test func promoteAndAbortNeedTheTokenAndAnswerWithTheDeploy() async throws {
        let handle = RecordingHandle(APIFixtures.state())
        try await withAPIServer(handle) { server, _ in
            let base = server.baseURL + "/api/v1/services"
            #expect(try await TestHTTP.post(base + "/web/promote").status == 401)
            #expect(try await TestHTTP.post(base + "/web/abort", token: "s3cr3t-token-0123456788").status == 401)
            #expect(handle.recorded.canaryDecisions.isEmpty)

            let promoted = try await TestHTTP.post(base + "/web/promote", token: SecretsFolder.token)
            #expect(promoted.status == 200, "\(promoted.text)")
            #expect(promoted.text == #"{"service":"web","deployId":"d2","phase":"promoted","state":"inProgress","reason":null}"# + "\n")
            let aborted = try await TestHTTP.post(base + "/web/abort", token: SecretsFolder.token)
            #expect(aborted.status == 200)
            #expect(aborted.text.contains(#""phase":"aborted","state":"failed","reason":"canary aborted: aborted by hand""#))
            #expect(handle.recorded.canaryDecisions == ["promote web", "abort web"])

            let none = try await TestHTTP.post(base + "/queue/promote", token: SecretsFolder.token)
            #expect(none.status == 409)
            #expect(try none.decode(ErrorDocument.self).error == "service queue has no canary to decide")
            #expect(try await TestHTTP.post(base + "/nope/abort", token: SecretsFolder.token).status == 404)
            #expect(try await TestHTTP.get(base + "/web/promote").status == 405)
        }
    }

    @Test func servicesShowTheCanaryPhase() async throws {
        let now = APIFixtures.epoch.addingTimeInterval(10)
        var web = APIFixtures.converged(APIFixtures.workloads["web"]!)
        web.canary = CanaryStatus(phase: .holding, instances: 1, healthy: 1, holdEndsAt: now.addingTimeInterval(252))
        var services = APIFixtures.workloads.mapValues { APIFixtures.converged($0) }
        services["web"] = web
        let status = ServiceStatus(name: "web", desired: APIFixtures.workloads["web"], service: web, now: now)
        let document = ServiceDocument(status, now: now)
        #expect(document.canary?.phase == "holding")
        #expect(document.canary?.holdRemainingSeconds == 252)
        #expect(document.canary?.summary == "canary holding, 4m12s left")
        #expect(document.json.rendered().contains(#""canary":{"phase":"holding","instances":1,"healthy":1,"#
                                                  + #""holdEndsAt":"2026-09-21T14:17:42.000Z","holdRemainingSeconds":252,"reason":null}"#))
        let queue = ServiceDocument(ServiceStatus(name: "queue", desired: APIFixtures.workloads["queue"], service: services["queue"], now: now))
        #expect(!queue.json.rendered().contains("canary"), "no canary member without a canary")

        let handle = RecordingHandle(APIFixtures.state(services: services))
        try await withAPIServer(handle) { server, _ in
            let list = try await TestHTTP.get(server.baseURL + "/api/v1/services")
            let documents = try list.decode([ServiceDocument].self)
            #expect(documents.first { $0.name == "web" }?.canary?.phase == "holding")
            let detail = try await TestHTTP.get(server.baseURL + "/api/v1/services/web").decode(ServiceDetailDocument.self)
            #expect(detail.canary?.instances == 1)
        }
    }
}
