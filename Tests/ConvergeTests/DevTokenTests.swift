import Foundation
import Testing

/// `converge dev` makes a local admin token and the CLI finds it: no --server, no --token-file.
@Suite("converge dev: no token ceremony", .serialized)
struct DevTokenTests {
    @Test("converge scale works against converge dev as it is, and the write is in converge audit")
    func scaleAgainstDevWithoutFlags() throws {
        let scratch = try TempDir()
        let config = scratch.url.appendingPathComponent("config")
        let repo = scratch.url.appendingPathComponent("manifests")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        try Data("""
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: web, owners: [team-web]}
            spec:
              instances: 1
              command: [sleep, "3600"]
              resources: {cpus: 0.1, memoryMb: 16}
            """.utf8).write(to: repo.appendingPathComponent("web.yaml"))
        let log = scratch.url.appendingPathComponent("dev.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let dev = Process()
        dev.executableURL = ConvergeBinary.url
        dev.arguments = ["dev", "--repo", repo.path, "--agents", "1", "--listen", "127.0.0.1:0",
                         "--state-dir", scratch.url.appendingPathComponent("state").path]
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = config.path
        environment["NO_COLOR"] = "1"
        environment.removeValue(forKey: "CONVERGE_SERVER")
        environment.removeValue(forKey: "CONVERGE_TOKEN_FILE")
        dev.environment = environment
        dev.standardOutput = output
        dev.standardError = output
        try dev.run()
        defer {
            if dev.isRunning { kill(dev.processIdentifier, SIGKILL) }
            dev.waitUntilExit()
        }
        let cli = ["XDG_CONFIG_HOME": config.path]
        let logText = { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        // Ready once the controller knows web.
        let deadline = Date().addingTimeInterval(120)
        var status = ConvergeBinary.Result(status: -1, stdout: "", stderr: "")
        while Date() < deadline, dev.isRunning {
            if FileManager.default.fileExists(atPath: config.appendingPathComponent("converge/dev-server").path) {
                status = try ConvergeBinary.run(["status", "web"], environment: cli, deadline: 60)
                if status.status == 0 { break }
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        try #require(status.status == 0, "converge status web: \(status.stderr)\ndev log:\n\(logText().suffix(3000))")
        let printed = logText()
        let server = try #require(printed.range(of: #"API: http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression)
            .map { String(printed[$0].dropFirst("API: ".count)) })
        let credentials = try String(contentsOf: config.appendingPathComponent("converge/dev-server"), encoding: .utf8)
        #expect(credentials.hasPrefix(server + "\n"))
        let tokenFile = config.appendingPathComponent("converge/dev-token").path
        let mode = try FileManager.default.attributesOfItem(atPath: tokenFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count == 64)

        let scale = try ConvergeBinary.run(["scale", "web", "3"], environment: cli, deadline: 60)
        #expect(scale.status == 0, "\(scale.stderr)")
        #expect(scale.stdout.contains("web scaled to 3"))

        let audit = try ConvergeBinary.run(["audit", "--service", "web", "--format", "json"], environment: cli, deadline: 60)
        #expect(audit.status == 0, "\(audit.stderr)")
        let entries = try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(entries.first?["actor"] as? String == "token-file")
        #expect(entries.first?["action"] as? String == "scale")
        #expect(entries.first?["status"] as? Int == 200)
        #expect((entries.first?["remoteAddress"] as? String)?.hasPrefix("127.0.0.1:") == true)
        #expect(!audit.stdout.contains(token))
        let table = try ConvergeBinary.run(["audit"], environment: cli, deadline: 60)
        #expect(table.stdout.contains("token-file") && table.stdout.contains("scale to 3"), "\(table.stdout)")
        #expect(!logText().contains(token), "the token is never logged")

        // Another user's config (none): no dev controller found, changes need a token.
        let stranger = try ConvergeBinary.run(["scale", "web", "3"], deadline: 60)
        #expect(stranger.status != 0)
        #expect(stranger.stderr.contains("changes need the API token"))

        // On exit the credentials go away (a later CLI call does not chase a dead controller).
        kill(dev.processIdentifier, SIGTERM)
        let stop = Date().addingTimeInterval(60)
        while dev.isRunning, Date() < stop { Thread.sleep(forTimeInterval: 0.1) }
        #expect(!dev.isRunning)
        #expect(!FileManager.default.fileExists(atPath: config.appendingPathComponent("converge/dev-server").path))
        #expect(!FileManager.default.fileExists(atPath: tokenFile))
    }
}
