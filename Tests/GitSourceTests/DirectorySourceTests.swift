import Foundation
import Testing
@testable import GitSource

@Suite struct DirectorySourceTests {
    @Test func aWorkingTreeMatchesItsCommit() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        let repo = try GitRepository.open(path: sample.root)
        let committed = try repo.entries(at: repo.resolve("main"), extensions: ["yaml", "yml", "sh"])
        let onDisk = try DirectorySource.entries(root: sample.root, extensions: ["yaml", "yml", "sh"])
        // Same paths, modes, ids, sizes and problems, except the absolute link whose target exists on disk.
        #expect(onDisk == committed)
        #expect(!onDisk.contains { $0.path.hasPrefix(".git/") })

        // load: the same entries, each file read once.
        let loaded = try DirectorySource.load(root: sample.root, extensions: ["yaml", "yml", "sh", "bin"], maxSize: 1 << 20)
        let byPath = Dictionary(uniqueKeysWithValues: loaded.map { ($0.entry.path, $0) })
        #expect(loaded.map(\.entry) == (try DirectorySource.entries(root: sample.root, extensions: ["yaml", "yml", "sh", "bin"])))
        #expect(try byPath["deploy/web.yaml"]?.bytes.get() == Array(SampleRepository.webV2.utf8))
        #expect(try byPath["deploy/link-inside.yaml"]?.bytes.get() == Array(SampleRepository.db.utf8))
        #expect(byPath["big.bin"]?.bytes == .failure(.fileTooLarge(path: "big.bin", size: SampleRepository.bigSize, limit: 1 << 20)))
        #expect(byPath["big.bin"]?.entry.size == SampleRepository.bigSize)
        guard case .failure(.unreadableEntry(let path, _)) = byPath["deploy/link-escape.yaml"]?.bytes else { Issue.record("escape not refused"); return }
        #expect(path == "deploy/link-escape.yaml")
    }

    @Test func readsFilesAndRefusesEscapes() throws {
        let sample = try SampleRepository()
        defer { sample.remove() }
        #expect(try DirectorySource.read(root: sample.root, path: "deploy/web.yaml") == Array(SampleRepository.webV2.utf8))
        #expect(try DirectorySource.read(root: sample.root, path: "deploy/link-inside.yaml") == Array(SampleRepository.db.utf8))
        #expect(throws: GitSourceError.self) { try DirectorySource.read(root: sample.root, path: "deploy/link-escape.yaml") }
        #expect(throws: GitSourceError.self) { try DirectorySource.read(root: sample.root, path: "deploy/link-absolute.yaml") }
        #expect(throws: GitSourceError.invalidPath("../etc/hostname")) { try DirectorySource.read(root: sample.root, path: "../etc/hostname") }
        #expect(throws: GitSourceError.fileTooLarge(path: "big.bin", size: SampleRepository.bigSize, limit: 1000)) {
            try DirectorySource.read(root: sample.root, path: "big.bin", maxSize: 1000)
        }
        #expect(throws: GitSourceError.self) { try DirectorySource.read(root: sample.root, path: "deploy") }
        #expect(throws: GitSourceError.self) { try DirectorySource.read(root: sample.root, path: "deploy/missing.yaml") }
    }

    @Test func underPathsFiltersAndSpecialFiles() throws {
        let scratch = try Scratch("dir")
        defer { scratch.remove() }
        let root = scratch.path
        try Files.write(root + "/a/x.yaml", "x: 1\n")
        try Files.write(root + "/a/notes.txt", "n\n")
        try Files.write(root + "/.hidden/h.yaml", "h: 1\n")
        try Files.write(root + "/.git/config.yaml", "not content\n")
        try Files.symlink(root + "/a/up.yaml", to: "../../../x.yaml")
        try Files.symlink(root + "/b", to: "a")
        #expect(mkfifo(root + "/a/pipe.yaml", 0o644) == 0)

        let all = try DirectorySource.entries(root: root, extensions: ["yaml"])
        #expect(all.map(\.path) == [".hidden/h.yaml", "a/pipe.yaml", "a/up.yaml", "a/x.yaml"])
        #expect(all[1].problem == .unsupportedFileType("FIFO"))
        #expect(all[2].problem == .symlinkEscapesRoot(target: "../../../x.yaml"))
        #expect(all[3].blob == BlobID.of(Array("x: 1\n".utf8)))
        #expect(try DirectorySource.entries(root: root, extensions: ["yaml"], skipDotFolders: true).map(\.path) == ["a/pipe.yaml", "a/up.yaml", "a/x.yaml"])
        // A folder reached through a link keeps the logical path.
        #expect(try DirectorySource.entries(root: root, under: "b", extensions: ["yaml"]).map(\.path) == ["b/pipe.yaml", "b/up.yaml", "b/x.yaml"])
        #expect(throws: GitSourceError.self) { try DirectorySource.entries(root: root, under: "zzz") }
        #expect(throws: GitSourceError.self) { try DirectorySource.entries(root: root + "/missing") }
    }
}
