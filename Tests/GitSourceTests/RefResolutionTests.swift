import Foundation
import Testing
@testable import GitSource

@Suite struct RefResolutionTests {
    @Test func resolvesBranchesTagsShasAndHEAD() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let repo = try GitRepository.open(path: sample.root)
        #expect(try repo.resolve("main").hex == sample.second)
        #expect(try repo.resolve("HEAD").hex == sample.second)
        #expect(try repo.resolve("feature").hex == sample.featureCommit)
        #expect(try repo.resolve("refs/heads/feature").hex == sample.featureCommit)
        #expect(try repo.resolve("v1").hex == sample.first)
        #expect(try repo.resolve("v1-annotated").hex == sample.first, "an annotated tag peels to its commit")
        #expect(try repo.resolve(sample.first).hex == sample.first)
        #expect(try repo.resolve(sample.first.uppercased()).hex == sample.first)
        #expect(try repo.resolve(String(sample.first.prefix(7))).hex == sample.first)
        #expect(try repo.resolve("main~1").hex == sample.first)
        #expect(!repo.isBare)
    }

    @Test func opensTheGitDirectoryAndBareRepositories() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let bare = sample.scratch.sub("bare.git")
        try GitCLI.run(["clone", "-q", "--bare", sample.root, bare], in: sample.scratch.path)
        let repo = try GitRepository.open(path: bare)
        #expect(repo.isBare)
        #expect(try repo.resolve("main").hex == sample.second)
        #expect(try GitRepository.open(path: sample.root + "/.git").resolve("v1").hex == sample.first)
    }

    @Test func unknownRefNamesTheRefAndSuggestsCloseNames() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let repo = try GitRepository.open(path: sample.root)
        let error = #expect(throws: GitSourceError.self) { try repo.resolve("mian") }
        guard case .unknownRef(let ref, let suggestions) = error else {
            Issue.record("expected unknownRef, got \(String(describing: error))"); return
        }
        #expect(ref == "mian")
        #expect(suggestions.first == "main")
        #expect(error?.description.contains("'mian'") == true)
        #expect(error?.description.contains("did you mean 'main'") == true)

        let featur = #expect(throws: GitSourceError.self) { try repo.resolve("featur") }
        #expect(featur?.description.contains("'feature'") == true)
        #expect(throws: GitSourceError.unknownRef("no-such-thing-at-all", suggestions: [])) { try repo.resolve("no-such-thing-at-all") }
        #expect(throws: GitSourceError.self) { try repo.resolve("") }
        #expect(throws: GitSourceError.self) { try repo.resolve("0000000000000000000000000000000000000000") }
    }

    @Test func aTagOfATreeIsNotACommit() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let repo = try GitRepository.open(path: sample.root)
        #expect(throws: GitSourceError.notACommit(ref: "tree-tag")) { try repo.resolve("tree-tag") }
    }

    @Test func commitMetadata() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let repo = try GitRepository.open(path: sample.root)
        let second = try repo.commit(repo.resolve("main"))
        #expect(second.id.hex == sample.second)
        #expect(second.author.name == "Ada Author")
        #expect(second.author.email == "ada@example.com")
        #expect(second.committer.name == "Cy Committer")
        #expect(second.date == ISO8601DateFormatter().date(from: "2024-03-02T08:30:00Z"))
        #expect(second.summary == "Scale web to 3")
        #expect(second.body == "Because traffic grew.\nSecond line.")
        #expect(second.message.hasPrefix("Scale web to 3\n\nBecause"))
        #expect(second.parents.map(\.hex) == [sample.first])
        let first = try repo.commit(#require(CommitID(hex: sample.first)))
        #expect(first.parents.isEmpty)
        #expect(first.body == "")
        #expect(throws: GitSourceError.self) { try repo.commit(#require(CommitID(hex: String(repeating: "ab", count: 20)))) }
    }

    @Test func notARepository() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let error = #expect(throws: GitSourceError.self) { try GitRepository.open(path: scratch.path) }
        guard case .notARepository(let path, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == scratch.path)
        #expect(throws: GitSourceError.self) { try GitRepository.open(path: scratch.sub("missing")) }
        try Files.write(scratch.sub("file"), "x")
        #expect(throws: GitSourceError.self) { try GitRepository.open(path: scratch.sub("file")) }
    }

    @Test func editDistance() {
        #expect(EditDistance.between("main", "mian", limit: 5) == 2)
        #expect(EditDistance.between("main", "main", limit: 5) == 0)
        #expect(EditDistance.between("", "abc", limit: 5) == 3)
        #expect(EditDistance.between("release", "x", limit: 3) == 3)
    }
}
