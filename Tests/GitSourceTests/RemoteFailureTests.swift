import Foundation
import Testing
@testable import GitSource

@Suite struct RemoteFailureTests {
    @Test func aMissingFileRemoteIsUnreachable() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = "file://" + scratch.sub("does-not-exist")
        let error = await #expect(throws: GitSourceError.self) {
            try await GitRepository.cloneOrFetch(remote: RemoteSpec(url: url), cache: scratch.url.appendingPathComponent("cache"))
        }
        guard case .remoteUnreachable(let shown, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(shown == url)
        #expect(error?.description.contains("does-not-exist") == true)
        // Nothing half-made is left in the cache directory.
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.sub("cache")).filter { !$0.hasSuffix(".lock") }
        #expect(left.isEmpty)
    }

    @Test func aClosedPortIsUnreachableAndCredentialsStayOutOfTheMessage() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let port = try closedLoopbackPort()
        let error = await #expect(throws: GitSourceError.self) {
            try await GitRepository.cloneOrFetch(
                remote: RemoteSpec(url: "http://deployer:hunter2-secret@127.0.0.1:\(port)/repo.git",
                                   credentials: .usernamePassword(username: "deployer", password: .literal("tok-abcdef"))),
                cache: scratch.url, timeout: .seconds(60))
        }
        guard case .remoteUnreachable(let url, let reason) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(url == "http://127.0.0.1:\(port)/repo.git")
        #expect(!reason.isEmpty)
        let text = String(describing: error)
        #expect(!text.contains("hunter2") && !text.contains("tok-abcdef") && !text.contains("deployer"))
    }

    @Test func unsupportedURLsAndMissingCredentials() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        await #expect(throws: GitSourceError.unsupportedURL("ftp://example.com/x")) {
            try await GitRepository.cloneOrFetch(remote: RemoteSpec(url: "ftp://user:pw@example.com/x"), cache: scratch.url)
        }
        let missingFile = RemoteSpec(url: "https://127.0.0.1:1/x.git",
                                     credentials: .usernamePassword(username: "u", password: .file(scratch.sub("no-token"))))
        let error = await #expect(throws: GitSourceError.self) { try await GitRepository.cloneOrFetch(remote: missingFile, cache: scratch.url) }
        guard case .credentialsUnavailable = error else { Issue.record("got \(String(describing: error))"); return }
        let missingEnv = RemoteSpec(url: "https://127.0.0.1:1/x.git",
                                    credentials: .usernamePassword(username: "u", password: .environment("CONVERGE_TEST_UNSET_\(UInt32.random(in: 0...UInt32.max))")))
        await #expect(throws: GitSourceError.self) { try await GitRepository.cloneOrFetch(remote: missingEnv, cache: scratch.url) }
        let missingKey = RemoteSpec(url: "ssh://git@127.0.0.1:1/x.git", credentials: .sshKey(privateKeyPath: scratch.sub("id_none")))
        await #expect(throws: GitSourceError.self) { try await GitRepository.cloneOrFetch(remote: missingKey, cache: scratch.url) }
    }

    /// Real HTTP basic authentication against `git http-backend` on loopback.
    @Test func httpAuthentication() async throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let served = sample.scratch.sub("served")
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        try GitCLI.run(["clone", "-q", "--bare", sample.root, served + "/repo.git"], in: sample.scratch.path)
        let server = try HTTPGitServer(root: served, user: "deployer", password: "s3cret-token", scratch: sample.scratch)
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/repo.git"
        let cache = sample.scratch.url.appendingPathComponent("cache")

        let anonymous = await #expect(throws: GitSourceError.self) {
            try await GitRepository.cloneOrFetch(remote: RemoteSpec(url: url), cache: cache, timeout: .seconds(60))
        }
        guard case .authenticationFailed(let shown, let reason) = anonymous else { Issue.record("got \(String(describing: anonymous))"); return }
        #expect(shown == url)
        #expect(reason.contains("none are configured"))

        let wrong = await #expect(throws: GitSourceError.self) {
            try await GitRepository.cloneOrFetch(
                remote: RemoteSpec(url: url, credentials: .usernamePassword(username: "deployer", password: .literal("wrong-token"))),
                cache: cache, timeout: .seconds(60))
        }
        guard case .authenticationFailed = wrong else { Issue.record("got \(String(describing: wrong))"); return }
        #expect(!String(describing: wrong).contains("wrong-token"))

        let tokenFile = sample.scratch.sub("token")
        try Files.write(tokenFile, "s3cret-token\n")
        let good = RemoteSpec(url: url, credentials: .usernamePassword(username: "deployer", password: .file(tokenFile)))
        let repo = try await GitRepository.cloneOrFetch(remote: good, cache: cache, timeout: .seconds(60))
        #expect(try repo.resolve("main").hex == sample.second)
        #expect(try repo.resolve("HEAD").hex == sample.second)
        #expect(try repo.resolve("v1-annotated").hex == sample.first)

        // The cache's config never holds the credentials.
        let config = try String(contentsOfFile: repo.path + "/config", encoding: .utf8)
        #expect(config.contains(url) && !config.contains("s3cret"))

        // Fetching again with the token from the environment, after a new commit.
        try Files.write(sample.root + "/deploy/new.yaml", "kind: Worker\n")
        try GitCLI.run(["add", "-A"], in: sample.root)
        try GitCLI.run(["commit", "-q", "-m", "new"], in: sample.root)
        try GitCLI.run(["push", "-q", served + "/repo.git", "main"], in: sample.root)
        let head = try GitCLI.run(["rev-parse", "HEAD"], in: sample.root)
        let variable = "CONVERGE_TEST_TOKEN_\(UInt32.random(in: 0...UInt32.max))"
        setenv(variable, "s3cret-token", 1)
        defer { unsetenv(variable) }
        let fromEnv = RemoteSpec(url: url, credentials: .usernamePassword(username: "deployer", password: .environment(variable)))
        #expect(try await GitRepository.cloneOrFetch(remote: fromEnv, cache: cache, timeout: .seconds(60)).resolve("main").hex == head)

        // Credentials written in the URL work too, and do not end up in the cache's config.
        let inURL = RemoteSpec(url: "http://deployer:s3cret-token@127.0.0.1:\(server.port)/repo.git")
        let viaURL = try await GitRepository.cloneOrFetch(remote: inURL, cache: cache, timeout: .seconds(60))
        #expect(viaURL.path == repo.path)
        #expect(try viaURL.resolve("main").hex == head)
        #expect(!(try String(contentsOfFile: repo.path + "/config", encoding: .utf8)).contains("s3cret"))
    }
}
