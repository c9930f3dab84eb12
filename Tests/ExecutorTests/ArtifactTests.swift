import Foundation
import Mesos
import Testing
@testable import Executor

@Suite(.serialized) struct ArtifactTests {
    func sha256(_ path: String) throws -> String {
        let (status, output) = try run("/usr/bin/sha256sum", [path])
        #expect(status == 0)
        return String(output.prefix(64))
    }

    /// Five fetchers (separate threads, separate sandboxes) need the same artifact: one HTTP request.
    @Test func fiveTasksOneDownload() throws {
        let web = TempFolder("web"), cache = TempFolder("cache")
        defer { web.cleanup(); cache.cleanup() }
        let payload = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try payload.write(to: URL(fileURLWithPath: web.path + "/tool.bin"))
        let server = try CountingHTTPServer(root: web.path)
        defer { server.stop() }
        let digest = try sha256(web.path + "/tool.bin")
        let artifact = ExecutorTaskData.Artifact(uri: "http://127.0.0.1:\(server.port)/tool.bin", sha256: digest,
                                                 executable: true)
        let sandboxes = (0..<5).map { _ in TempFolder("sandbox") }
        defer { sandboxes.forEach { $0.cleanup() } }
        let downloads = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 5) { index in
            let fetcher = ArtifactFetcher(cache: ArtifactCache(root: cache.path, maxBytes: 1 << 30),
                                          sandbox: sandboxes[index].path)
            do {
                let count = try fetcher.fetch([artifact]) { _, _, _ in }
                downloads.withLock { $0 += count }
            } catch {
                Issue.record("fetch \(index): \(error)")
            }
        }
        #expect(server.requests("/tool.bin") == 1)
        #expect(downloads.withLock { $0 } == 1)
        for sandbox in sandboxes {
            let path = sandbox.path + "/tool.bin"
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == payload)
            #expect(access(path, X_OK) == 0)
        }
        #expect(FileManager.default.fileExists(atPath: cache.path + "/blobs/" + digest))
    }

    @Test func aWrongSha256IsRefusedAndNothingIsKept() throws {
        let web = TempFolder("web"), cache = TempFolder("cache"), sandbox = TempFolder("sandbox")
        defer { web.cleanup(); cache.cleanup(); sandbox.cleanup() }
        try Data("hello".utf8).write(to: URL(fileURLWithPath: web.path + "/a.txt"))
        let server = try CountingHTTPServer(root: web.path)
        defer { server.stop() }
        let wrong = String(repeating: "0", count: 64)
        let fetcher = ArtifactFetcher(cache: ArtifactCache(root: cache.path, maxBytes: 1 << 30), sandbox: sandbox.path)
        #expect {
            try fetcher.fetch([.init(uri: "http://127.0.0.1:\(server.port)/a.txt", sha256: wrong)]) { _, _, _ in }
        } throws: { error in
            "\(error)".contains("sha256 mismatch") && "\(error)".contains(wrong)
                && "\(error)".contains("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.path + "/a.txt"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path + "/blobs").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path + "/tmp").isEmpty)
    }

    @Test func missingFilesAndServerErrorsFailClearly() throws {
        let cache = TempFolder("cache"), sandbox = TempFolder("sandbox")
        defer { cache.cleanup(); sandbox.cleanup() }
        let fetcher = ArtifactFetcher(cache: ArtifactCache(root: cache.path, maxBytes: 1 << 30), sandbox: sandbox.path)
        #expect { try fetcher.fetch([.init(uri: "/no/such/file.tgz")]) { _, _, _ in } } throws: {
            "\($0)".contains("cannot fetch file:///no/such/file.tgz")
        }
    }

    @Test func extractsTarGzAndZipFromFileURIs() throws {
        let source = TempFolder("src"), cache = TempFolder("cache"), sandbox = TempFolder("sandbox")
        defer { source.cleanup(); cache.cleanup(); sandbox.cleanup() }
        try FileManager.default.createDirectory(atPath: source.path + "/app/bin", withIntermediateDirectories: true)
        try "#!/bin/sh\necho hi\n".write(toFile: source.path + "/app/bin/run", atomically: true, encoding: .utf8)
        chmod(source.path + "/app/bin/run", 0o755)
        try "z".write(toFile: source.path + "/z.txt", atomically: true, encoding: .utf8)
        #expect(try run("/usr/bin/tar", ["-czf", source.path + "/app.tar.gz", "-C", source.path, "app"]).0 == 0)
        #expect(try run("/usr/bin/python3", ["-c", "import zipfile; zipfile.ZipFile('z.zip', 'w').write('z.txt')"],
                        in: source.path).0 == 0)
        let fetcher = ArtifactFetcher(cache: ArtifactCache(root: cache.path, maxBytes: 1 << 30), sandbox: sandbox.path)
        var progress: [String] = []
        try fetcher.fetch([.init(uri: "file://" + source.path + "/app.tar.gz"), .init(uri: source.path + "/z.zip"),
                           .init(uri: source.path + "/z.txt", extract: false, outputFile: "conf/z.conf")]) { index, count, bytes in
            progress.append("\(index)/\(count) \(bytes.map(String.init) ?? "?")")
        }
        #expect(progress.count == 3)
        #expect(progress.first?.hasPrefix("1/3 ") == true)
        #expect(access(sandbox.path + "/app/bin/run", X_OK) == 0)
        #expect(try String(contentsOfFile: sandbox.path + "/z.txt", encoding: .utf8) == "z")
        #expect(try String(contentsOfFile: sandbox.path + "/conf/z.conf", encoding: .utf8) == "z")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path + "/app.tar.gz"))
    }

    @Test func theCacheEvictsLeastRecentlyUsedBlobs() throws {
        let source = TempFolder("src"), cache = TempFolder("cache"), sandbox = TempFolder("sandbox")
        defer { source.cleanup(); cache.cleanup(); sandbox.cleanup() }
        for name in ["a", "b", "c"] {
            try Data(repeating: name.utf8.first!, count: 400_000)
                .write(to: URL(fileURLWithPath: "\(source.path)/\(name).bin"))
        }
        let store = ArtifactCache(root: cache.path, maxBytes: 1_000_000)
        let fetcher = ArtifactFetcher(cache: store, sandbox: sandbox.path)
        try fetcher.fetch([.init(uri: source.path + "/a.bin")]) { _, _, _ in }
        usleep(20_000)
        try fetcher.fetch([.init(uri: source.path + "/b.bin")]) { _, _, _ in }
        usleep(20_000)
        // Using a again makes b the least recently used.
        #expect(try fetcher.fetch([.init(uri: source.path + "/a.bin")]) { _, _, _ in } == 0)
        usleep(20_000)
        try fetcher.fetch([.init(uri: source.path + "/c.bin")]) { _, _, _ in }
        let blobs = try FileManager.default.contentsOfDirectory(atPath: cache.path + "/blobs")
        #expect(blobs.count == 2)
        #expect(try fetcher.fetch([.init(uri: source.path + "/a.bin")]) { _, _, _ in } == 0)
        #expect(try fetcher.fetch([.init(uri: source.path + "/b.bin")]) { _, _, _ in } == 1)
    }
}

/// A value behind a lock, for tests that count across threads.
final class Locked<Value>: @unchecked Sendable {  // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
