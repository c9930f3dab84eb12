import Foundation
import Testing

/// A repository with a base (tag v1) and a target (branch feature) that differ in every change class.
private final class PlanRepo {
    let repo: GitFixture
    let base: String
    let target: String

    init() throws {
        repo = try GitFixture()
        try repo.write("apps/defaults.yaml", Fixtures.defaults)
        try repo.write("apps/api.yaml", Fixtures.service("api", logLevel: "info"))
        try repo.write("apps/web.yaml", Fixtures.service("web"))
        try repo.write("apps/queue.yaml", Fixtures.worker("queue", instances: 2))
        try repo.write("jobs/nightly.yaml", Fixtures.scheduled("nightly", schedule: "0 3 * * *"))
        try repo.write("apps/legacy.yaml", Fixtures.service("legacy"))
        base = try repo.commit("base")
        try repo.git("tag", "v1")
        try repo.git("checkout", "-q", "-b", "feature")
        // deploy: env changed (and a secret rotated)
        try repo.write("apps/api.yaml", Fixtures.service("api", logLevel: "debug", password: "s3cr3t-rotated-value"))
        // scale
        try repo.write("apps/queue.yaml", Fixtures.worker("queue", instances: 4))
        // update in place
        try repo.write("jobs/nightly.yaml", Fixtures.scheduled("nightly", schedule: "30 4 * * *"))
        // delete
        try repo.remove("apps/legacy.yaml")
        // create
        try repo.write("apps/search.yaml", Fixtures.service("search", instances: 3, password: "another-secret-value"))
        // maintenance
        try repo.write("ops/maintenance.yaml", Fixtures.maintenance(["agent-3"]))
        target = try repo.commit("feature")
        try repo.git("checkout", "-q", "main")
    }
}

@Suite(.serialized) struct PlanCommandTests {
    @Test func everyChangeClassInText() throws {
        let fixture = try PlanRepo()
        let result = try ConvergeBinary.run(["plan", "--repo", fixture.repo.path, "--ref", "feature", "--base", "v1"])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("+ create search (Service)"))
        #expect(out.contains("~ deploy api (Service)"))
        #expect(out.contains("spec.env.LOG_LEVEL: \"info\" -> \"debug\""))
        #expect(out.contains("^ scale queue (Worker)"))
        #expect(out.contains("spec.instances: 2 -> 4"))
        #expect(out.contains("* update nightly (Scheduled) in place"))
        #expect(out.contains("- delete legacy (Service)"))
        #expect(out.contains("decommission agents matching hostname=agent-3"))
        #expect(out.hasSuffix("Plan: 1 to create, 1 to deploy, 1 to scale, 1 to update, 1 to delete.\nMaintenance: 1 to decommission, 0 to bring back.\n"))
        #expect(!out.contains(" web ("), "an unchanged workload is not mentioned")
        #expect(!out.contains("\u{1B}["))
        // Deterministic order: by name.
        let order = ["api", "legacy", "nightly", "queue", "search"].map { name in
            out.range(of: " \(name) (")!.lowerBound
        }
        #expect(order == order.sorted())
    }

    @Test func jsonIsStableAndComplete() throws {
        let fixture = try PlanRepo()
        let result = try ConvergeBinary.run(["plan", "--repo", fixture.repo.path, "--ref", "feature", "--base", "v1", "--format", "json"])
        #expect(result.status == 2, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["base"] as? String == fixture.base)
        #expect(object["target"] as? String == fixture.target)
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.map { $0["name"] as? String } == ["api", "legacy", "nightly", "queue", "search"])
        #expect(changes.map { $0["action"] as? String } == ["deploy", "delete", "update", "scale", "create"])
        #expect(changes.map { $0["kind"] as? String } == ["Service", "Service", "Scheduled", "Worker", "Service"])
        let apiFields = try #require(changes[0]["fields"] as? [[String: Any]])
        let logLevel = try #require(apiFields.first { $0["path"] as? String == "spec.env.LOG_LEVEL" })
        #expect(logLevel["before"] as? String == "info" && logLevel["after"] as? String == "debug")
        let scale = try #require((changes[3]["fields"] as? [[String: Any]])?.first { $0["path"] as? String == "spec.instances" })
        #expect(scale["before"] as? Int == 2 && scale["after"] as? Int == 4)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary["create"] == 1 && summary["deploy"] == 1 && summary["scale"] == 1 && summary["update"] == 1 && summary["delete"] == 1)
        let maintenance = try #require(object["maintenance"] as? [[String: Any]])
        #expect(maintenance.count == 1)
        #expect(maintenance.first?["action"] as? String == "decommission")
        #expect((maintenance.first?["selector"] as? [String: String])?["hostname"] == "agent-3")
        // Key order is part of the format.
        let keys = ["\"base\"", "\"target\"", "\"changes\"", "\"maintenance\"", "\"summary\""].map {
            result.stdout.range(of: $0)!.lowerBound
        }
        #expect(keys == keys.sorted())
    }

    @Test func markdownForAPullRequest() throws {
        let fixture = try PlanRepo()
        let result = try ConvergeBinary.run(["plan", "--repo", fixture.repo.path, "--ref", "feature", "--base", "v1", "--format", "markdown"])
        #expect(result.status == 2, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("**Plan: 1 to create, 1 to deploy, 1 to scale, 1 to update, 1 to delete.**"))
        #expect(out.contains("| ~ | deploy | `api` | Service |"))
        #expect(out.contains("<details><summary>deploy <code>api</code>"))
        #expect(out.contains("| `spec.env.LOG_LEVEL` | `\"info\"` | `\"debug\"` |"))
        #expect(out.contains("</details>"))
    }

    @Test func secretsNeverAppearInAnyFormat() throws {
        let fixture = try PlanRepo()
        for format in ["text", "json", "markdown"] {
            for args in [["--base", "v1"], []] {
                let result = try ConvergeBinary.run(["plan", "--repo", fixture.repo.path, "--ref", "feature", "--format", format] + args)
                #expect(result.status == 2)
                for secret in ["hunter2-base", "s3cr3t-rotated-value", "another-secret-value"] {
                    #expect(!result.stdout.contains(secret), "\(format) \(args) shows \(secret)")
                    #expect(!result.stderr.contains(secret))
                }
                #expect(result.stdout.contains("(sensitive)"))
            }
        }
    }

    @Test func noChangesExitsZero() throws {
        let fixture = try PlanRepo()
        let result = try ConvergeBinary.run(["plan", "--repo", fixture.repo.path, "--ref", "v1", "--base", fixture.base])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("No changes."))
        #expect(result.stdout.contains("Plan: 0 to create, 0 to deploy, 0 to scale, 0 to update, 0 to delete."))
    }

    @Test func againstAnEmptyClusterEverythingIsCreated() throws {
        let fixture = try PlanRepo()
        let result = try ConvergeBinary.run(["plan", "--repo", fixture.repo.path, "--ref", "v1", "--format", "json"])
        #expect(result.status == 2, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["base"] is NSNull)
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.count == 5)
        #expect(changes.allSatisfy { $0["action"] as? String == "create" })
        // Defaults are merged into every workload they cover.
        let api = try #require(changes.first { $0["name"] as? String == "api" }?["fields"] as? [[String: Any]])
        #expect(api.contains { $0["path"] as? String == "spec.env.REGION" && $0["after"] as? String == "eu-west-1" })
    }

    @Test func invalidTargetShowsValidationErrors() throws {
        let fixture = try PlanRepo()
        try fixture.repo.git("checkout", "-q", "-b", "broken")
        try fixture.repo.write("apps/broken.yaml", Fixtures.badService)
        try fixture.repo.commit("broken")
        let result = try ConvergeBinary.run(["plan", "--repo", fixture.repo.path, "--ref", "broken", "--base", "v1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("apps/broken.yaml:8:"))
        #expect(result.stderr.contains("invalid"))
        #expect(!result.stdout.contains("Plan:"))
    }

    @Test func unknownRefIsAClearError() throws {
        let fixture = try PlanRepo()
        let result = try ConvergeBinary.run(["plan", "--repo", fixture.repo.path, "--ref", "featur", "--base", "v1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("featur"))
        #expect(result.stderr.contains("feature"), "suggests the near miss: \(result.stderr)")
        let missingBase = try ConvergeBinary.run(["plan", "--repo", fixture.repo.path, "--ref", "feature", "--base", "v9"])
        #expect(missingBase.status == 1)
        #expect(missingBase.stderr.contains("v9"))
    }

    @Test func fileRemoteIsClonedIntoTheCache() throws {
        let fixture = try PlanRepo()
        let cache = try TempDir()
        let url = "file://" + fixture.repo.path
        let result = try ConvergeBinary.run(
            ["plan", "--repo", url, "--ref", "feature", "--base", "v1", "--format", "json"],
            environment: ["CONVERGE_CACHE_DIR": cache.path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.contains(fixture.target))
        let cached = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(!cached.isEmpty, "the clone lives in CONVERGE_CACHE_DIR")

        // A new commit on the remote is fetched on the next run.
        try fixture.repo.git("checkout", "-q", "feature")
        try fixture.repo.write("apps/queue.yaml", Fixtures.worker("queue", instances: 9))
        let newTarget = try fixture.repo.commit("scale more")
        let again = try ConvergeBinary.run(
            ["plan", "--repo", url, "--ref", "feature", "--base", fixture.target, "--format", "json", "--cache-dir", cache.path])
        #expect(again.status == 2, "\(again.stderr)")
        #expect(again.stdout.contains(newTarget))
        #expect(again.stdout.contains("\"scale\": 1"))
    }

    @Test func pathSelectsASubfolder() throws {
        let repo = try GitFixture()
        try repo.write("clusters/prod/web.yaml", Fixtures.service("web", instances: 4))
        try repo.write("clusters/staging/web.yaml", Fixtures.service("web", instances: 1))
        try repo.write("notes/garbage.yaml", "this: [is not: a manifest")
        try repo.commit("one")
        try repo.write("clusters/staging/web.yaml", Fixtures.service("web", instances: 2))
        try repo.commit("scale staging")
        let prod = try ConvergeBinary.run(["plan", "--repo", repo.path, "--ref", "main", "--base", "main~1", "--path", "clusters/prod"])
        #expect(prod.status == 0, "\(prod.stdout)\(prod.stderr)")
        let staging = try ConvergeBinary.run(["plan", "--repo", repo.path, "--ref", "main", "--base", "main~1", "--path", "clusters/staging"])
        #expect(staging.status == 2, "\(staging.stdout)\(staging.stderr)")
        #expect(staging.stdout.contains("^ scale web (Service)"))
        #expect(staging.stdout.contains("spec.instances: 1 -> 2"))
    }

    @Test func maintenanceRemovedBringsAgentsBack() throws {
        let repo = try GitFixture()
        try repo.write("web.yaml", Fixtures.service("web"))
        try repo.write("ops/maintenance.yaml", Fixtures.maintenance(["agent-1", "agent-2"]))
        try repo.commit("one")
        try repo.write("ops/maintenance.yaml", Fixtures.maintenance(["agent-2"]))
        try repo.commit("agent-1 is back")
        let result = try ConvergeBinary.run(["plan", "--repo", repo.path, "--ref", "main", "--base", "main~1"])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("bring back agents matching hostname=agent-1"))
        #expect(result.stdout.contains("Plan: 0 to create, 0 to deploy, 0 to scale, 0 to update, 0 to delete."))
        #expect(result.stdout.contains("Maintenance: 0 to decommission, 1 to bring back."))
    }
}
