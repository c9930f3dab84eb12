import Foundation
import Testing

/// `converge run --tokens-file` as an operator runs it: the real binary on a real dev cluster and a
/// real git repository; the CLI with scoped tokens; the audit log across a restart of the controller.
@Suite("converge run: owners' scopes and the audit log", .serialized)
struct ScopedControllerTests {
    static func hash(_ token: String) throws -> String {
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"),
                                           ["-c", "printf '%s\\n' \"$0\" | \"$1\" token hash", token, ConvergeBinary.url.path], deadline: 60)
        guard result.status == 0 else { throw HarnessError("converge token hash: \(result.stderr)") }
        return result.stdout
    }

    @Test("token hash prints the sha256 line sha256sum agrees with")
    func tokenHash() throws {
        #expect(try Self.hash("test") == "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n")
        let empty = try ProcessRunner.run(ConvergeBinary.url, ["token", "hash"], deadline: 60)
        #expect(empty.status != 0 && empty.stderr.contains("no token on standard input"))
    }

    @Test("scoped tokens over the CLI; refused and allowed writes stay in the audit log after a restart")
    func scopesAndAuditAcrossRestart() async throws {
        let cluster = try DevClusterProcess.start()
        defer { cluster.stop() }
        let repo = try GitFixture()
        try repo.write("web.yaml", """
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: web, owners: [team-web]}
            spec: {instances: 1, command: [sleep, "3600"], resources: {cpus: 0.1, memoryMb: 16}}
            ---
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: queue, owners: [team-queue]}
            spec: {instances: 1, command: [sleep, "3600"], resources: {cpus: 0.1, memoryMb: 16}}
            """)
        try repo.commit("two workers")
        let folder = try TempDir()
        let webToken = "ci-web-\(UUID().uuidString)"
        try Data("tokens:\n  ci-web:\n    \(try Self.hash(webToken).trimmingCharacters(in: .newlines))\n    owners: [team-web]\n".utf8)
            .write(to: folder.url.appendingPathComponent("tokens.yaml"))
        try Data((webToken + "\n").utf8).write(to: folder.url.appendingPathComponent("web-token"))
        try Data("guess\n".utf8).write(to: folder.url.appendingPathComponent("bad-token"))
        let state = folder.url.appendingPathComponent("state").path
        let args = ["run", "--repo", repo.path, "--branch", "main", "--master", cluster.masterURL, "--state-dir", state,
                    "--poll-interval", "1s", "--listen", "127.0.0.1:0", "--tokens-file", folder.url.appendingPathComponent("tokens.yaml").path]

        let first = try ControllerProcess.start(args)
        defer { first.stop() }
        let known = await first.eventually { try await first.service("web") != nil }
        try #require(known, "\(first.log)")
        func cli(_ server: String, _ arguments: [String], token: String) async throws -> ConvergeBinary.Result {
            try ConvergeBinary.run(arguments + ["--server", server, "--token-file", folder.url.appendingPathComponent(token).path], deadline: 60)
        }
        let scale = try await cli(first.baseURL, ["scale", "web", "2"], token: "web-token")
        #expect(scale.status == 0, "\(scale.stderr)")
        let pause = try await cli(first.baseURL, ["pause", "queue"], token: "web-token")
        #expect(pause.status == 1)
        #expect(pause.stderr.contains("answered 403 to POST /api/v1/services/queue/pause: changing queue needs a token of one of its owners (team-queue)"))
        let guess = try await cli(first.baseURL, ["bounce", "web"], token: "bad-token")
        #expect(guess.status == 1 && guess.stderr.contains("answered 401"))
        first.stop()

        let second = try ControllerProcess.start(args)
        defer { second.stop() }
        let audit = try ConvergeBinary.run(["audit", "--server", second.baseURL, "--format", "json"], deadline: 60)
        #expect(audit.status == 0, "\(audit.stderr)")
        let entries = try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(entries.map { "\($0["actor"]!) \($0["action"]!) \($0["service"]!) \($0["status"]!)" }
                == ["anonymous bounce web 401", "ci-web pause queue 403", "ci-web scale web 200"])
        #expect(!audit.stdout.contains(webToken) && !audit.stdout.contains("guess"))
        let table = try ConvergeBinary.run(["audit", "--server", second.baseURL, "--service", "web"], deadline: 60)
        #expect(table.stdout.contains("ci-web") && table.stdout.contains("scale to 2") && !table.stdout.contains("queue"), "\(table.stdout)")
        #expect(!second.log.contains(webToken), "the token is never logged")
    }

    @Test("an invalid tokens file stops the start with file, line and field")
    func invalidTokensFileFailsTheStart() throws {
        let folder = try TempDir()
        try Data("tokens:\n  ci-web:\n    sha256: nothex\n    owners: [team-web]\n".utf8).write(to: folder.url.appendingPathComponent("tokens.yaml"))
        let path = folder.url.appendingPathComponent("tokens.yaml").path
        let result = try ConvergeBinary.run(["run", "--repo", folder.path, "--master", "http://127.0.0.1:9", "--state-dir", folder.path + "/state",
                                             "--listen", "127.0.0.1:0", "--tokens-file", path], deadline: 60)
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(path):3: tokens.ci-web.sha256: must be 64 hex digits"), "\(result.stderr)")
    }
}
