import Foundation
import Testing
@testable import GitSource

/// Clones and fetches through the cache, against file:// remotes built with the git command line.
@Suite struct CacheTests {
    @Test func clonesAFileRemoteAndFetchesNewCommits() async throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let cache = sample.scratch.url.appendingPathComponent("cache")
        let remote = RemoteSpec(url: "file://" + sample.root)

        let cached = try await GitRepository.cloneOrFetch(remote: remote, cache: cache)
        #expect(cached.isBare)
        #expect(cached.origin == .cache(url: "file://" + sample.root))
        #expect(cached.path == (try GitRepository.cachePath(for: remote, cache: cache)))
        #expect(cached.path.hasPrefix(cache.path + "/work-"))
        #expect(try cached.resolve("main").hex == sample.second)
        #expect(try cached.resolve("origin/main").hex == sample.second)
        #expect(try cached.resolve("HEAD").hex == sample.second)
        #expect(try cached.resolve("feature").hex == sample.featureCommit)
        #expect(try cached.resolve("v1-annotated").hex == sample.first)
        #expect(try cached.resolve(String(sample.first.prefix(8))).hex == sample.first)
        let entries = try cached.entries(at: cached.resolve("main"), under: "deploy", extensions: ["yaml"])
        #expect(try cached.blob(#require(entries.first { $0.path == "deploy/web.yaml" }?.blob)) == Array(SampleRepository.webV2.utf8))

        // A new commit and a deleted branch on the remote.
        try Files.write(sample.root + "/deploy/web.yaml", "kind: Service\nmetadata: {name: web}\nspec: {instances: 5}\n")
        try GitCLI.run(["commit", "-q", "-a", "-m", "Scale to 5"], in: sample.root)
        try GitCLI.run(["branch", "-D", "feature"], in: sample.root)
        try GitCLI.run(["tag", "v2"], in: sample.root)
        let third = try GitCLI.run(["rev-parse", "HEAD"], in: sample.root)
        let fetched = try await GitRepository.cloneOrFetch(remote: remote, cache: cache)
        #expect(fetched.path == cached.path)
        #expect(try fetched.resolve("main").hex == third)
        #expect(try fetched.resolve("v2").hex == third)
        #expect(try fetched.commit(fetched.resolve("main")).parents.map(\.hex) == [sample.second])
        #expect(throws: GitSourceError.self) { try fetched.resolve("feature") }
        // The handle opened before the fetch still reads (old objects stay).
        #expect(try cached.commit(#require(CommitID(hex: sample.first))).summary == "First commit")
        #expect(try GitRepository.openCached(remote: remote, cache: cache).resolve("main").hex == third)
    }

    @Test func aPlainPathRemoteAndABareRemote() async throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let bare = sample.scratch.sub("remote.git")
        try GitCLI.run(["clone", "-q", "--bare", sample.root, bare], in: sample.scratch.path)
        let cache = sample.scratch.url.appendingPathComponent("cache")
        let repo = try await GitRepository.cloneOrFetch(remote: RemoteSpec(url: bare), cache: cache)
        #expect(try repo.resolve("HEAD").hex == sample.second)
        #expect(repo.path.hasPrefix(cache.path + "/remote-"))
        #expect(throws: GitSourceError.self) { try GitRepository.openCached(remote: RemoteSpec(url: "file:///elsewhere"), cache: cache) }
    }

    @Test func concurrentFetchesOfOneRemoteAndConcurrentReads() async throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let cache = sample.scratch.url.appendingPathComponent("cache")
        let remote = RemoteSpec(url: "file://" + sample.root)
        let heads = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<4 {
                group.addTask { try await GitRepository.cloneOrFetch(remote: remote, cache: cache).resolve("main").hex }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(heads == Array(repeating: sample.second, count: 4))

        let repo = try GitRepository.open(path: sample.root)
        let commit = try repo.resolve("main")
        let expected = try repo.entries(at: commit, extensions: ["yaml"])
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let entries = try repo.entries(at: commit, extensions: ["yaml"])
                    #expect(entries == expected)
                    let ids = entries.compactMap(\.blob)
                    return repo.blobs(ids).values.filter { (try? $0.get()) != nil }.count
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(Set(results).count == 1)
        #expect(results[0] == 3, "web.yaml, db.YAML (also behind two links) and ci.yaml")
    }
}
