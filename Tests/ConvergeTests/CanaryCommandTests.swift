import Foundation
import Reconciler
import Testing

/// `converge promote` and `converge abort` against a real API server.
@Suite(.serialized) struct CanaryCommandTests {
    @Test func promoteAndAbort() async throws {
        let served = try await ServedController.start(manifests: Fixtures.service("web", instances: 2))
        let env = ["CONVERGE_SERVER": served.url, "CONVERGE_TOKEN_FILE": served.tokenFile]
        let deploy = served.controller.workloads["web"]!.deployId
        let promote = try await served.converge(["promote", "web"], environment: env)
        let abort = try await served.converge(["abort", "web"], environment: env)
        let unknown = try await served.converge(["abort", "nope"], environment: env)
        let noToken = try await served.converge(["promote", "web", "--server", served.url])
        let calls = served.controller.recorded
        await served.close()
        #expect(promote.status == 0 && promote.stdout == "web: deploy \(deploy) promoted\n", "\(promote.stderr)")
        #expect(abort.status == 0 && abort.stdout == "web: deploy \(deploy) aborted; the previous deploy keeps running\n", "\(abort.stderr)")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("the controller answered 404 to POST /api/v1/services/nope/abort: no service named nope"))
        #expect(noToken.status != 0)
        #expect(calls.canaryDecisions == ["promote web", "abort web"])
    }
}
