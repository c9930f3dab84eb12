import Testing
@testable import GitSource

@Suite struct RedactionTests {
    @Test func stripsUserinfoFromURLsInText() {
        #expect(Redaction.redactURL("https://user:tok@github.com/org/repo.git") == "https://github.com/org/repo.git")
        #expect(Redaction.redactURL("https://tok@host/x") == "https://host/x")
        #expect(Redaction.redactURL("ssh://git@host:22/x") == "ssh://host:22/x")
        #expect(Redaction.redactURL("/srv/repo") == "/srv/repo")
        #expect(Redaction.redactURLs(in: "failed to fetch 'https://a:b@h/x' then http://c:d@e") == "failed to fetch 'https://h/x' then http://e")
        #expect(Redaction.redact("server said tok-12345", secrets: ["tok-12345"]) == "server said ***")
        #expect(Secret.literal("pw").description.contains("pw") == false)
        #expect(RemoteSpec(url: "https://u:p@h/x").description == "https://h/x")
    }

    @Test func remoteURLsAreNormalizedAndNamedByHash() throws {
        let https = try RemoteURL("https://u:p@example.com/org/manifests.git")
        #expect(https.url == "https://example.com/org/manifests.git")
        #expect(https.userFromURL == "u")
        #expect(https.cacheFolderName.hasPrefix("manifests-"))
        #expect(https.cacheFolderName == (try RemoteURL("https://example.com/org/manifests.git")).cacheFolderName)
        #expect(https.cacheFolderName != (try RemoteURL("https://example.com/other/manifests.git")).cacheFolderName)
        let scp = try RemoteURL("git@example.com:org/repo.git")
        #expect(scp.isSSH && scp.userFromURL == "git")
        let ssh = try RemoteURL("ssh://git@example.com:2222/org/repo.git")
        #expect(ssh.isSSH && ssh.url == "ssh://git@example.com:2222/org/repo.git")
        #expect(try RemoteURL("relative/path").url.hasPrefix("/"))
        #expect(throws: GitSourceError.self) { try RemoteURL("gopher://x/y") }
    }
}
