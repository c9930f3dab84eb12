import Foundation
import Testing
@testable import GitSource

/// A cache folder damaged the way a killed process (or a full disk) leaves it is repaired on the next
/// fetch, and is usable afterwards.
@Suite struct BrokenCacheTests {
    private func withCache(_ body: (SampleRepository, RemoteSpec, URL, String) async throws -> Void) async throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let cache = sample.scratch.url.appendingPathComponent("cache")
        let remote = RemoteSpec(url: "file://" + sample.root)
        let path = try await GitRepository.cloneOrFetch(remote: remote, cache: cache).path
        try await body(sample, remote, cache, path)
    }

    private func expectUsable(_ remote: RemoteSpec, _ cache: URL, _ sample: SampleRepository) async throws {
        let repo = try await GitRepository.cloneOrFetch(remote: remote, cache: cache)
        #expect(try repo.resolve("main").hex == sample.second)
        let entries = try repo.entries(at: repo.resolve("main"), under: "deploy", extensions: ["yaml"])
        #expect(try repo.blob(#require(entries.first { $0.path == "deploy/web.yaml" }?.blob)) == Array(SampleRepository.webV2.utf8))
        // And a second fetch is clean too.
        #expect(try await GitRepository.cloneOrFetch(remote: remote, cache: cache).resolve("v1").hex == sample.first)
    }

    @Test func staleLockFilesAreRemoved() async throws {
        try await withCache { sample, remote, cache, path in
            try Files.write(path + "/refs/remotes/origin/main.lock", "")
            try Files.write(path + "/packed-refs.lock", "")
            try Files.write(path + "/config.lock", "")
            try Files.write(path + "/objects/pack/tmp_pack_abc123", "partial")
            try Files.write(sample.root + "/deploy/web.yaml", "changed\n")
            try GitCLI.run(["commit", "-q", "-a", "-m", "change"], in: sample.root)
            let head = try GitCLI.run(["rev-parse", "HEAD"], in: sample.root)
            let repo = try await GitRepository.cloneOrFetch(remote: remote, cache: cache)
            #expect(try repo.resolve("main").hex == head)
            #expect(!FileManager.default.fileExists(atPath: path + "/refs/remotes/origin/main.lock"))
            #expect(!FileManager.default.fileExists(atPath: path + "/packed-refs.lock"))
            #expect(!FileManager.default.fileExists(atPath: path + "/objects/pack/tmp_pack_abc123"))
        }
    }

    @Test func aTruncatedHEADIsRepaired() async throws {
        try await withCache { sample, remote, cache, path in
            try Files.write(path + "/HEAD", "")
            try await expectUsable(remote, cache, sample)
        }
    }

    @Test func deletedObjectsAreRepaired() async throws {
        try await withCache { sample, remote, cache, path in
            let objects = path + "/objects"
            for name in try FileManager.default.contentsOfDirectory(atPath: objects) where name != "info" {
                try FileManager.default.removeItem(atPath: objects + "/" + name)
            }
            try await expectUsable(remote, cache, sample)
        }
    }

    @Test func aMissingBlobFoundByAReadMarksTheCacheForRepair() async throws {
        try await withCache { sample, remote, cache, path in
            // Unpack so that single objects can be deleted, then delete the blob of deploy/web.yaml.
            let packs = try FileManager.default.contentsOfDirectory(atPath: path + "/objects/pack").filter { $0.hasSuffix(".pack") }
            for pack in packs {
                let packPath = path + "/objects/pack/" + pack
                let moved = path + "/" + pack
                try FileManager.default.moveItem(atPath: packPath, toPath: moved)
                try FileManager.default.removeItem(atPath: packPath.replacingOccurrences(of: ".pack", with: ".idx"))
                try GitCLI.run(["unpack-objects", "-q"], in: path, stdin: moved)
                try FileManager.default.removeItem(atPath: moved)
            }
            let blob = try GitCLI.run(["rev-parse", "main:deploy/web.yaml"], in: sample.root)
            try FileManager.default.removeItem(atPath: path + "/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2))
            let repo = try GitRepository.openCached(remote: remote, cache: cache)
            // Asking for a commit that does not exist is not damage.
            #expect(throws: GitSourceError.self) { try repo.entries(at: #require(CommitID(hex: String(repeating: "1", count: 40)))) }
            #expect(!FileManager.default.fileExists(atPath: path + "/" + CacheFolder.brokenMarker))
            let error = #expect(throws: GitSourceError.self) { try repo.entries(at: repo.resolve("main"), under: "deploy") }
            guard case .objectNotFound = error else { Issue.record("got \(String(describing: error))"); return }
            #expect(FileManager.default.fileExists(atPath: path + "/" + CacheFolder.brokenMarker))
            try await expectUsable(remote, cache, sample)
            #expect(!FileManager.default.fileExists(atPath: path + "/" + CacheFolder.brokenMarker))
        }
    }

    @Test func aHalfWrittenCloneIsCleanedUpAndGarbageIsReplaced() async throws {
        try await withCache { sample, remote, cache, path in
            let leftover = path + ".tmp-killed"
            try Files.write(leftover + "/objects/pack/tmp_pack_1", "partial")
            try FileManager.default.removeItem(atPath: path)
            try Files.write(path + "/garbage", "not a repository")
            try await expectUsable(remote, cache, sample)
            #expect(!FileManager.default.fileExists(atPath: leftover))
            let names = try FileManager.default.contentsOfDirectory(atPath: cache.path)
            #expect(names.filter { $0.contains(".tmp-") || $0.contains(".trash-") }.isEmpty)
        }
    }

    @Test func anUnreachableRemoteLeavesAnIntactCacheAlone() async throws {
        try await withCache { sample, remote, cache, path in
            let moved = sample.scratch.sub("moved-away")
            try FileManager.default.moveItem(atPath: sample.root, toPath: moved)
            let error = await #expect(throws: GitSourceError.self) { try await GitRepository.cloneOrFetch(remote: remote, cache: cache) }
            guard case .remoteUnreachable = error else { Issue.record("got \(String(describing: error))"); return }
            // The last fetched state is still there to read.
            #expect(try GitRepository.openCached(remote: remote, cache: cache).resolve("main").hex == sample.second)
        }
    }
}
