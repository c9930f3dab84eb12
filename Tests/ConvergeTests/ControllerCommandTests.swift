import Foundation
import Reconciler
import Testing

private let manifests = Fixtures.service("web", instances: 3) + "---\n" + Fixtures.worker("queue", instances: 2) + """
    ---
    apiVersion: converge/v1
    kind: OnDemand
    metadata: {name: report}
    spec:
      command: echo report
    """

/// `converge status`, `history`, `scale`, `pause`, `resume`, `bounce`, `trigger` against a real API server.
@Suite(.serialized) struct ControllerCommandTests {
    @Test func statusTable() async throws {
        let served = try await ServedController.start(manifests: manifests)
        let result = try await served.converge(["status", "--server", served.url])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count == 8 else {
            await served.close()
            Issue.record("unexpected output: \(result.stdout)")
            return
        }
        #expect(lines[0] == "Revision: 0123456789ab (https://git.example.com/ops.git, ref main, path prod)")
        #expect(lines[1] == "Last sync: synced at 2026-09-21T14:14:21.000Z: 1 to scale")
        let web = served.controller.workloads["web"]!.deployId
        let queue = served.controller.workloads["queue"]!.deployId
        let report = served.controller.workloads["report"]!.deployId
        #expect(Array(lines[3...]) == [
            "NAME    KIND      SYNC    HEALTH       READY  UP-TO-DATE  LAST RUN                     NEXT RUN    DEPLOY",
            "queue   Worker    Synced  Healthy      2/2    2           -                            -           \(queue)",
            "report  OnDemand  Synced  Healthy      -      -           succeeded 2026-09-21 14:13Z  on trigger  \(report)",
            "web     Service   Synced  Progressing  2/3    2           -                            -           \(web)",
            "",
        ])

        let json = try await served.converge(["status", "--format", "json"], environment: ["CONVERGE_SERVER": served.url])
        #expect(json.status == 0)
        let decoded = try APIDocument.decode([ServiceDocument].self, from: Data(json.stdout.utf8))
        #expect(decoded.map(\.name) == ["queue", "report", "web"])
        await served.close()
    }

    @Test func statusOfOneService() async throws {
        let served = try await ServedController.start(manifests: manifests)
        let result = try await served.converge(["status", "web", "--server", served.url])
        let missing = try await served.converge(["status", "nope", "--server", served.url])
        await served.close()
        let web = served.controller.workloads["web"]!.deployId
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("""
            web (Service), deploy \(web)
            Sync:   Synced
            Health: Progressing: 2 of 3 healthy
            Source: services.yaml:1 at 0123456789ab
            Instances: 2/3 ready (healthy of desired), 2 up to date (2 healthy) of deploy \(web), 2 running

            Tasks:
            INSTANCE  TASK   DEPLOY        HOST     PORTS  STATE    HEALTHY
            0         web-0  \(web)  agent-1  31000  running  yes
            1         web-1  \(web)  agent-1  31001  running  yes

            """), "\(result.stdout)")
        #expect(!result.stdout.contains("hunter2"))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no service named nope"))
    }

    @Test func history() async throws {
        let served = try await ServedController.start(manifests: manifests)
        let result = try await served.converge(["history", "--server", served.url])
        await served.close()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ID  STARTED                   TRIGGER  REVISION      OUTCOME   MESSAGE\n"))
        #expect(result.stdout.contains("2   2026-09-21T14:14:20.000Z  webhook  0123456789ab  synced    1 to scale\n"))
        #expect(result.stdout.contains("Sync 1 errors:\n  web.yaml:7:3: spec.instances: expected an integer\n"))
    }

    @Test func overridesNeedTheTokenAndReachTheController() async throws {
        let served = try await ServedController.start(manifests: manifests)
        let noToken = try await served.converge(["scale", "web", "40", "--server", served.url])
        #expect(noToken.status == 1)
        #expect(noToken.stderr.contains("changes need the API token: pass --token-file PATH or set CONVERGE_TOKEN_FILE"))

        let badDuration = try await served.converge(["scale", "web", "40", "--for", "2 weeks", "--server", served.url])
        #expect(badDuration.status == 64)
        #expect(badDuration.stderr.contains("invalid duration \"2 weeks\""))

        let scale = try await served.converge(["scale", "web", "40", "--for", "2h", "--reason", "incident 9", "--server", served.url,
                                               "--token-file", served.tokenFile])
        #expect(scale.status == 0, "\(scale.stderr)")
        #expect(scale.stdout.hasPrefix("web scaled to 40 until "))
        #expect(scale.stdout.hasSuffix(" (2h): incident 9\n"))

        let env = ["CONVERGE_SERVER": served.url, "CONVERGE_TOKEN_FILE": served.tokenFile]
        let pause = try await served.converge(["pause", "queue", "--reason", "maintenance"], environment: env)
        #expect(pause.status == 0 && pause.stdout == "queue paused until removed: maintenance\n", "\(pause.stderr)")
        let resume = try await served.converge(["resume", "queue"], environment: env)
        #expect(resume.status == 0 && resume.stdout == "queue resumed\n", "\(resume.stderr)")
        let bounce = try await served.converge(["bounce", "web"], environment: env)
        #expect(bounce.status == 0 && bounce.stdout == "web bouncing: bounce through the API\n", "\(bounce.stderr)")
        let trigger = try await served.converge(["trigger", "report", "--env", "DAY=2026-09-20", "--", "--full", "-v"], environment: env)
        #expect(trigger.status == 0 && trigger.stdout == "report: started run report-run-7\n", "\(trigger.stderr)")
        let unknown = try await served.converge(["pause", "nope"], environment: env)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("the controller answered 404 to POST /api/v1/services/nope/pause: no service named nope"))

        let calls = served.controller.recorded
        await served.close()
        #expect(calls.overrides.map { "\($0.service) \($0.kind.rawValue) \($0.value.map(String.init) ?? "-") \($0.reason)" } == [
            "web scale 40 incident 9", "queue pause - maintenance", "web bounce - bounce through the API",
        ])
        let scaleOverride = try #require(calls.overrides.first)
        #expect(scaleOverride.expiresAt.map { $0.timeIntervalSince(scaleOverride.createdAt) } == 7_200)
        #expect(calls.removed == ["queue pause"])
        #expect(calls.triggers.count == 1)
        #expect(calls.triggers.first?.1 == ["--full", "-v"] && calls.triggers.first?.2 == ["DAY": "2026-09-20"])
    }

    @Test func wrongTokenIsRefused() async throws {
        let served = try await ServedController.start(manifests: manifests)
        let folder = try TempDir()
        try Data("not-the-token".utf8).write(to: folder.url.appendingPathComponent("t"))
        let result = try await served.converge(["pause", "web", "--server", served.url, "--token-file", folder.url.appendingPathComponent("t").path])
        await served.close()
        #expect(result.status == 1)
        #expect(result.stderr.contains("the controller answered 401 to POST /api/v1/services/web/pause: unknown token"))
        #expect(served.controller.recorded.overrides.isEmpty)
    }

    @Test func unreachableControllerIsAClearError() async throws {
        // A port that was just free: bind, note it, close.
        let served = try await ServedController.start(manifests: manifests)
        let url = served.url
        await served.close()
        let result = try await served.converge(["status", "--server", url])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot reach the controller at \(url)"))
        let badURL = try await served.converge(["status", "--server", "ftp://example.com"])
        #expect(badURL.status == 64)
    }

    @Test func planAgainstARunningController() async throws {
        let served = try await ServedController.start(manifests: manifests)
        let repo = try GitFixture()
        try repo.write("services.yaml", manifests)
        let same = try repo.commit("same")
        let unchanged = try await served.converge(["plan", "--repo", repo.path, "--ref", same, "--server", served.url])
        #expect(unchanged.status == 0, "\(unchanged.stdout)\(unchanged.stderr)")
        #expect(unchanged.stdout.contains("No changes."))

        try repo.write("services.yaml", Fixtures.service("web", instances: 3, logLevel: "debug") + "---\n" + Fixtures.worker("queue", instances: 5))
        let changed = try repo.commit("changed")
        let plan = try await served.converge(["plan", "--repo", repo.path, "--ref", changed, "--server", served.url, "--format", "json"])
        await served.close()
        #expect(plan.status == 2, "\(plan.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        #expect(object["base"] as? String == FixtureController.revision)
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.map { "\($0["name"]!) \($0["action"]!)" } == ["queue scale", "report delete", "web deploy"])
        let webFields = try #require(changes[2]["fields"] as? [[String: Any]])
        #expect(webFields.map { $0["path"] as? String } == ["spec.env.LOG_LEVEL"])
        #expect(!plan.stdout.contains("hunter2"))
    }
}
