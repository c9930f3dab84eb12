import Foundation
import Testing
@testable import GitSource

@Suite struct TreeEntriesTests {
    @Test func listsManifestsUnderAFolderWithSymlinksResolvedInsideTheCommit() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let repo = try GitRepository.open(path: sample.root)
        let commit = try repo.resolve("main")
        let entries = try repo.entries(at: commit, under: "deploy", extensions: ["yaml", ".YML"])
        let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0) })
        #expect(entries.map(\.path) == entries.map(\.path).sorted())
        #expect(Set(byPath.keys) == [
            "deploy/web.yaml", "deploy/worker.yml", "deploy/nested/db.YAML",
            "deploy/link-inside.yaml", "deploy/link-via-parent.yaml", "deploy/link-escape.yaml",
            "deploy/link-absolute.yaml", "deploy/link-dangling.yaml", "deploy/link-dir.yaml",
            "deploy/loop-a.yaml", "deploy/loop-b.yaml",
        ])
        let web = try #require(byPath["deploy/web.yaml"])
        #expect(web.mode == .regular)
        #expect(web.size == SampleRepository.webV2.utf8.count)
        #expect(try repo.blob(#require(web.blob)) == Array(SampleRepository.webV2.utf8))
        #expect(web.blob == BlobID.of(Array(SampleRepository.webV2.utf8)))

        let db = try #require(byPath["deploy/nested/db.YAML"])
        let inside = try #require(byPath["deploy/link-inside.yaml"])
        #expect(inside.mode == .symlink(target: "nested/db.YAML"))
        #expect(inside.blob == db.blob)
        #expect(inside.size == SampleRepository.db.utf8.count)
        #expect(byPath["deploy/link-via-parent.yaml"]?.blob == db.blob)
        #expect(byPath["deploy/link-escape.yaml"]?.problem == .symlinkEscapesRoot(target: "../../outside.yaml"))
        #expect(byPath["deploy/link-absolute.yaml"]?.problem == .symlinkEscapesRoot(target: "/etc/hostname"))
        #expect(byPath["deploy/link-dangling.yaml"]?.problem == .symlinkDangling(target: "missing.yaml"))
        #expect(byPath["deploy/link-dir.yaml"]?.problem == .symlinkToDirectory(target: "nested"))
        #expect(byPath["deploy/loop-a.yaml"]?.problem == .symlinkLoop(target: "loop-b.yaml"))
        #expect(byPath["deploy/link-escape.yaml"]?.problem?.description.contains("outside the repository") == true)
    }

    @Test func eachCommitSeesItsOwnFiles() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let repo = try GitRepository.open(path: sample.root)
        let old = try repo.entries(at: repo.resolve("v1"), under: "deploy/web.yaml")
        #expect(old.count == 1)
        #expect(try repo.blob(#require(old.first?.blob)) == Array(SampleRepository.webV1.utf8))
        let feature = try repo.entries(at: repo.resolve("feature"), under: "deploy", extensions: ["yaml"])
        #expect(feature.contains { $0.path == "deploy/feature.yaml" })
        let main = try repo.entries(at: repo.resolve("main"), under: "deploy", extensions: ["yaml"])
        #expect(!main.contains { $0.path == "deploy/feature.yaml" })
    }

    @Test func everyFileWithModesAndDotFolders() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let repo = try GitRepository.open(path: sample.root)
        let commit = try repo.resolve("main")
        let all = try repo.entries(at: commit)
        #expect(all.first { $0.path == "deploy/run.sh" }?.mode == .executable)
        #expect(all.contains { $0.path == "README.md" })
        #expect(all.contains { $0.path == ".github/workflows/ci.yaml" })
        let skipping = try repo.entries(at: commit, extensions: ["yaml"], skipDotFolders: true)
        #expect(!skipping.contains { $0.path.hasPrefix(".github") })
        #expect(skipping.contains { $0.path == "deploy/web.yaml" })
        for prefix in ["", ".", "/", "./"] {
            #expect(try repo.entries(at: commit, under: prefix).count == all.count)
        }
        #expect(try repo.entries(at: commit, under: "deploy/").map(\.path) == repo.entries(at: commit, under: "./deploy").map(\.path))
    }

    @Test func bigBlobsAreReportedNotLoaded() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let repo = try GitRepository.open(path: sample.root)
        let big = try #require(repo.entries(at: repo.resolve("main"), under: "big.bin").first)
        #expect(big.size == SampleRepository.bigSize)
        let id = try #require(big.blob)
        #expect(throws: GitSourceError.blobTooLarge(id, size: SampleRepository.bigSize, limit: 1 << 20)) {
            try repo.blob(id, maxSize: 1 << 20)
        }
        #expect(try repo.blob(id, maxSize: 4 << 20) == Files.bytes(sample.root + "/big.bin"))
        let batch = repo.blobs([id], maxSize: 1024)
        guard case .failure(.blobTooLarge(_, let size, _)) = batch[id] else { Issue.record("expected blobTooLarge"); return }
        #expect(size == SampleRepository.bigSize)
    }

    @Test func missingAndInvalidPaths() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let repo = try GitRepository.open(path: sample.root)
        let commit = try repo.resolve("main")
        let error = #expect(throws: GitSourceError.self) { try repo.entries(at: commit, under: "nope") }
        guard case .pathNotFound(let path, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == "nope")
        #expect(throws: GitSourceError.invalidPath("../x")) { try repo.entries(at: commit, under: "../x") }
        #expect(throws: GitSourceError.invalidPath("deploy/link-escape.yaml")) { try repo.entries(at: commit, under: "deploy/link-escape.yaml") }
        #expect(throws: GitSourceError.self) { try repo.blob(#require(BlobID(hex: String(repeating: "0", count: 40)))) }
    }

    @Test func revisionBundlesCommitAndEntries() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let repo = try GitRepository.open(path: sample.root)
        let revision = try repo.revision("v1-annotated", under: "./deploy/", extensions: ["yaml", "yml"])
        #expect(revision.id.hex == sample.first)
        #expect(revision.commit.summary == "First commit")
        #expect(revision.path == "deploy")
        #expect(revision.entries.contains { $0.path == "deploy/web.yaml" })
    }

    @Test func submodulesAreListedAsSubmodules() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let other = sample.scratch.sub("other")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try GitCLI.run(["init", "-q", "-b", "main"], in: other)
        try Files.write(other + "/x.yaml", "a: 1\n")
        try GitCLI.run(["add", "-A"], in: other)
        try GitCLI.run(["commit", "-q", "-m", "x"], in: other)
        let otherHead = try GitCLI.run(["rev-parse", "HEAD"], in: other)
        try GitCLI.run(["-c", "protocol.file.allow=always", "submodule", "add", "-q", other, "vendor/other"], in: sample.root)
        try GitCLI.run(["commit", "-q", "-m", "submodule"], in: sample.root)
        let repo = try GitRepository.open(path: sample.root)
        let entries = try repo.entries(at: repo.resolve("main"), under: "vendor")
        #expect(entries == [TreeEntry(path: "vendor/other", mode: .submodule, content: .submodule(try #require(CommitID(hex: otherHead))))])
    }
}
