import Foundation
import Testing

/// `converge import singularity` against the Singularity API simulator: the built binary, real HTTP.
@Suite("converge import singularity", .serialized)
struct ImportSingularityTests {
    /// What a failed import must leave behind: no output folder and no staging folder beside it.
    func expectNothingWritten(_ parent: TempDir, _ out: String, _ result: ConvergeBinary.Result) {
        #expect(!FileManager.default.fileExists(atPath: out), "output written despite: \(result.stderr)")
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")
    }

    @Test("imports every request, reads each active deploy once, writes the report, and the output validates")
    func importsAndValidates() throws {
        let simulator = try SingularitySimulator.start()
        defer { simulator.stop() }
        let dir = try TempDir()
        let out = dir.url.appendingPathComponent("manifests").path
        let result = try ConvergeBinary.run(["import", "singularity", "--url", simulator.url, "--out", out], deadline: 60)
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        #expect(result.stdout.contains("Imported 14 of 21 Singularity requests"))
        #expect(result.stdout.contains("NOT IMPORTED: schedule: Quartz expression \"*/30 * * * * ?\" fires at seconds"))
        #expect(result.stdout.contains("renamed: \"Search_API.v2\" is not a DNS label"))
        #expect(result.stdout.contains("request.loadBalanced: Converge does not register tasks with a load balancer"))
        let stats = try simulator.stats()
        #expect(stats.list == 1 && stats.detail == 21)

        let report = try String(contentsOfFile: out + "/IMPORT-REPORT.md", encoding: .utf8)
        #expect(report.contains("## `every-30-seconds`") && report.contains("**Not imported:**"))
        #expect(FileManager.default.fileExists(atPath: out + "/team-billing/billing-api.yaml"))
        let billing = try String(contentsOfFile: out + "/team-billing/billing-api.yaml", encoding: .utf8)
        #expect(billing.contains("    http:\n      path: /healthcheck\n      port: 0\n"))

        let validate = try ConvergeBinary.run(["validate", out])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        #expect(validate.stdout.contains("OK: 14 manifests valid."))

        let flat = dir.url.appendingPathComponent("flat").path
        let none = try ConvergeBinary.run(["import", "singularity", "--url", simulator.url, "--out", flat, "--path-per", "none"])
        #expect(none.status == 0)
        #expect(FileManager.default.fileExists(atPath: flat + "/billing-api.yaml"))
    }

    @Test("a token is sent as `Authorization: Token ...`; without it Singularity's 401 is a clear error and nothing is written")
    func token() throws {
        let simulator = try SingularitySimulator.start(["--token", "s3cret-value"])
        defer { simulator.stop() }
        let dir = try TempDir()
        let out = dir.url.appendingPathComponent("out").path
        let denied = try ConvergeBinary.run(["import", "singularity", "--url", simulator.url, "--out", out])
        #expect(denied.status == 1)
        #expect(denied.stderr.contains("(401)") && denied.stderr.contains("--token-file"), "\(denied.stderr)")
        expectNothingWritten(dir, out, denied)

        let secrets = try TempDir()
        let wrong = secrets.url.appendingPathComponent("wrong").path
        try "not-it\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let refused = try ConvergeBinary.run(["import", "singularity", "--url", simulator.url, "--token-file", wrong, "--out", out])
        #expect(refused.status == 1 && refused.stderr.contains("No matching token found"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("not-it"))
        expectNothingWritten(dir, out, refused)

        let right = secrets.url.appendingPathComponent("token").path
        try "s3cret-value\n".write(toFile: right, atomically: true, encoding: .utf8)
        let allowed = try ConvergeBinary.run(["import", "singularity", "--url", simulator.url, "--token-file", right, "--out", out])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(!(allowed.stdout + allowed.stderr).contains("s3cret-value"))
        let report = try String(contentsOfFile: out + "/IMPORT-REPORT.md", encoding: .utf8)
        #expect(!report.contains("s3cret-value"))
    }

    @Test("bad input: unreachable, malformed JSON, a request without a deploy, a non-empty --out: exit 1, nothing written",
          arguments: ["unreachable", "malformed-list", "malformed-request", "missing-deploy", "not-empty"])
    func badInput(_ scenario: String) throws {
        let options: [String] =
            switch scenario {
            case "malformed-list": ["--malformed-list"]
            case "malformed-request": ["--malformed-request", "queue-consumer"]
            case "missing-deploy": ["--drop-deploy", "billing-api"]
            default: []
            }
        let simulator = try SingularitySimulator.start(options)
        defer { simulator.stop() }
        var url = simulator.url
        if scenario == "unreachable" {
            simulator.stop()  // its port is now closed
        }
        let dir = try TempDir()
        let out = dir.url.appendingPathComponent("out").path
        if scenario == "not-empty" {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try "keep me".write(toFile: out + "/README", atomically: true, encoding: .utf8)
            url = simulator.url
        }
        let result = try ConvergeBinary.run(["import", "singularity", "--url", url, "--out", out], deadline: 60)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        let expected =
            switch scenario {
            case "unreachable": "cannot reach Singularity at \(url)/api/requests"
            case "malformed-list": "Singularity's answer to GET \(url)/api/requests is not what its API returns"
            case "malformed-request": "GET \(url)/api/requests/request/queue-consumer is not what its API returns"
            case "missing-deploy": "1 request(s) have no active deploy to import: billing-api"
            default: "exists and is not empty"
            }
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        if scenario == "not-empty" {
            #expect(try String(contentsOfFile: out + "/README", encoding: .utf8) == "keep me")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out"])
        } else {
            expectNothingWritten(dir, out, result)
        }
        if scenario == "missing-deploy" {
            // A request deleted between the list and its detail (404) is reported, not an error.
            simulator.stop()
            let again = try SingularitySimulator.start(["--drop-deploy", "billing-api", "--vanish", "db-migrate"])
            defer { again.stop() }
            url = again.url
            let skip = try ConvergeBinary.run(["import", "singularity", "--url", url, "--out", out, "--skip-undeployed"])
            #expect(skip.status == 0)
            #expect(skip.stdout.contains("NOT IMPORTED: the request has no active deploy"))
            #expect(skip.stdout.contains("db-migrate (RUN_ONCE)\n  NOT IMPORTED: the request is deleted in Singularity"), "\(skip.stdout)")
        }
    }

    @Test("imported services, with their health checks, deploy on the dev cluster and turn healthy")
    func deploysOnDevCluster() throws {
        let simulator = try SingularitySimulator.start(fixture: "runnable.json")
        defer { simulator.stop() }
        let repo = try GitFixture()
        let imported = try ConvergeBinary.run(
            ["import", "singularity", "--url", simulator.url, "--out", repo.root.appendingPathComponent("manifests").path])
        #expect(imported.status == 0, "\(imported.stderr)")
        try repo.commit("import from Singularity")

        let cluster = try DevClusterProcess.start()
        defer { cluster.stop() }
        let state = try TempDir()
        let apply = try ConvergeBinary.run(
            ["apply", "--repo", repo.path, "--branch", "main", "--path", "manifests", "--master", cluster.masterURL,
             "--state-dir", state.path, "--timeout", "150s"], deadline: 200)
        #expect(apply.status == 0, "stdout:\n\(apply.stdout)\nstderr:\n\(apply.stderr.suffix(3000))")
        #expect(apply.stdout.contains("3 to create"), "\(apply.stdout)")
        #expect(apply.stdout.contains("hello-web 2/2 healthy"), "\(apply.stdout)")
        #expect(apply.stdout.contains("hello-argv 1/1 healthy"), "\(apply.stdout)")
        #expect(apply.stdout.contains("ticker 1/1 healthy"), "\(apply.stdout)")
        #expect(apply.stdout.contains("converged in"))
    }
}
