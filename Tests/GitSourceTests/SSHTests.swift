import Foundation
import Testing
@testable import GitSource

/// git over a real sshd on loopback (skipped when openssh-server is not installed).
@Suite(.enabled(if: SSHServer.isAvailable, "needs /usr/sbin/sshd (apt: openssh-server)"))
struct SSHTests {
    @Test func clonesOverSSHWithKeysAndRejectsWrongOnes() async throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let bare = sample.scratch.sub("remote.git")
        try GitCLI.run(["clone", "-q", "--bare", sample.root, bare], in: sample.scratch.path)
        let server = try SSHServer(scratch: sample.scratch)
        defer { server.stop() }
        let url = "ssh://\(server.user)@127.0.0.1:\(server.port)\(bare)"
        let cache = sample.scratch.url.appendingPathComponent("cache")

        let plain = RemoteSpec(url: url, credentials: .sshKey(privateKeyPath: server.clientKey), sshKnownHostsPath: server.knownHosts)
        let repo = try await GitRepository.cloneOrFetch(remote: plain, cache: cache, timeout: .seconds(60))
        #expect(try repo.resolve("main").hex == sample.second)
        #expect(try repo.resolve("HEAD").hex == sample.second)

        let withPassphrase = RemoteSpec(url: url, credentials: .sshKey(privateKeyPath: server.passphraseKey, passphrase: .literal("open sesame")),
                                        sshKnownHostsPath: server.knownHosts)
        #expect(try await GitRepository.cloneOrFetch(remote: withPassphrase, cache: cache, timeout: .seconds(60)).resolve("v1").hex == sample.first)

        // A key the server does not know.
        let stranger = sample.scratch.sub("stranger")
        try GitCLI.run(["--version"], in: sample.scratch.path)
        let keygen = Process()
        keygen.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        keygen.arguments = ["-q", "-t", "ed25519", "-N", "", "-f", stranger]
        try keygen.run()
        keygen.waitUntilExit()
        let otherCache = sample.scratch.url.appendingPathComponent("cache2")
        let rejected = await #expect(throws: GitSourceError.self) {
            try await GitRepository.cloneOrFetch(remote: RemoteSpec(url: url, credentials: .sshKey(privateKeyPath: stranger), sshKnownHostsPath: server.knownHosts),
                                                 cache: otherCache, timeout: .seconds(60))
        }
        guard case .authenticationFailed = rejected else { Issue.record("got \(String(describing: rejected))"); return }

        // A wrong passphrase.
        let wrongPassphrase = await #expect(throws: GitSourceError.self) {
            try await GitRepository.cloneOrFetch(remote: RemoteSpec(url: url, credentials: .sshKey(privateKeyPath: server.passphraseKey, passphrase: .literal("nope")),
                                                                    sshKnownHostsPath: server.knownHosts),
                                                 cache: otherCache, timeout: .seconds(60))
        }
        #expect(!String(describing: wrongPassphrase).contains("nope"))

        // A host key that does not match known_hosts is refused before authenticating.
        let wrongHosts = sample.scratch.sub("wrong_known_hosts")
        let otherHostKey = try String(contentsOfFile: stranger + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try Files.write(wrongHosts, "[127.0.0.1]:\(server.port) \(otherHostKey)\n")
        let spoofed = await #expect(throws: GitSourceError.self) {
            try await GitRepository.cloneOrFetch(remote: RemoteSpec(url: url, credentials: .sshKey(privateKeyPath: server.clientKey), sshKnownHostsPath: wrongHosts),
                                                 cache: otherCache, timeout: .seconds(60))
        }
        guard case .remoteUnreachable(_, let reason) = spoofed else { Issue.record("got \(String(describing: spoofed))"); return }
        #expect(reason.contains("host key"))
    }
}
