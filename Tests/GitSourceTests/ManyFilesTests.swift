import Foundation
import Testing
@testable import GitSource

/// A commit of many files, loose and packed: the listing's sizes and the batch reads (from several
/// threads at once, as the loader's parallel chunks call them) give exactly the committed files.
@Suite struct ManyFilesTests {
    static let count = 600

    /// A different size and content per file, some deltified against each other once packed.
    static func content(_ n: Int) -> String {
        "apiVersion: converge/v1\nkind: Worker\nmetadata: {name: w-\(n)}\n" + String(repeating: "# pad \(n)\n", count: n % 17)
    }

    static func makeRepository(packed: Bool) throws -> Scratch {
        let scratch = try Scratch("many")
        try GitCLI.run(["init", "-q", "-b", "main"], in: scratch.path)
        // Folders three deep, with a symlink among them.
        for n in 0..<count {
            let ext = n % 5 == 0 ? "YAML" : n % 5 == 1 ? "yml" : "yaml"
            try Files.write(scratch.sub(path(n, ext)), content(n))
        }
        try Files.write(scratch.sub("teams/team-0/notes.txt"), "not a manifest\n")
        // A symlink deep down, resolved inside the commit.
        try Files.symlink(scratch.sub("teams/team-3/kind-1/link.yaml"), to: "../kind-0/w-3.yaml")
        try Files.write(scratch.sub(".github/ci.yaml"), "ignored: true\n")
        try GitCLI.run(["add", "-A"], in: scratch.path)
        try GitCLI.run(["commit", "-q", "-m", "many"], in: scratch.path)
        if packed { try GitCLI.run(["gc", "-q", "--aggressive"], in: scratch.path) }
        return scratch
    }

    static func path(_ n: Int, _ ext: String) -> String { "teams/team-\(n % 7)/kind-\(n % 3)/w-\(n).\(ext)" }

    @Test(arguments: [false, true])
    func sizesAndContentsMatchTheFilesRead(packed: Bool) throws {
        let scratch = try Self.makeRepository(packed: packed)
        defer { scratch.remove() }
        let repo = try GitRepository.open(path: scratch.path)
        let commit = try repo.resolve("main")
        let entries = try repo.entries(at: commit, extensions: ["yaml", "yml"], skipDotFolders: true)
        #expect(entries.count == Self.count + 1)
        #expect(entries.map(\.path) == entries.map(\.path).sorted())
        let link = try #require(entries.first { $0.path == "teams/team-3/kind-1/link.yaml" })
        #expect(link.mode == .symlink(target: "../kind-0/w-3.yaml"))
        #expect(link.blob == BlobID.of(Array(Self.content(3).utf8)))
        #expect(link.size == Self.content(3).utf8.count)
        for entry in entries where entry != link {
            let n = Int(entry.path.split(separator: "-").last!.split(separator: ".").first!)!
            #expect(entry.size == Self.content(n).utf8.count, "\(entry.path)")
            #expect(entry.blob == BlobID.of(Array(Self.content(n).utf8)))
        }

        // Several batches at once, as the loader's parallel chunks read them.
        let ids = entries.map { $0.blob! }
        let chunks = stride(from: 0, to: ids.count, by: 50).map { Array(ids[$0..<min($0 + 50, ids.count)]) }
        let results = Results(count: chunks.count)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
            results.set(i, repo.blobs(chunks[i], sizesChecked: true))
        }
        for (i, chunk) in chunks.enumerated() {
            let read = results.get(i)
            for id in chunk {
                let bytes = try #require(try read[id]?.get())
                #expect(BlobID.of(bytes) == id)
            }
        }

        // Listing again reuses the sizes it learned and gives the same entries.
        #expect(try repo.entries(at: commit, extensions: ["yaml", "yml"], skipDotFolders: true) == entries)
    }

    @Test func aMissingBlobNamesItsPath() throws {
        let scratch = try Self.makeRepository(packed: false)
        defer { scratch.remove() }
        let repo = try GitRepository.open(path: scratch.path)
        let commit = try repo.resolve("main")
        let victim = BlobID.of(Array(Self.content(300).utf8)).hex
        try FileManager.default.removeItem(
            atPath: scratch.sub(".git/objects/\(victim.prefix(2))/\(victim.dropFirst(2))"))
        #expect {
            _ = try repo.entries(at: commit, extensions: ["yaml", "yml"])
        } throws: { error in
            guard case GitSourceError.objectNotFound(let what) = error else { return false }
            return what.contains(victim) && what.hasSuffix("w-300.YAML")
        }
    }

    /// Results written by concurrent workers, one slot each.
    final class Results: @unchecked Sendable {
        // @unchecked Sendable: every slot is written by one worker under `lock`, read after all finished.
        private let lock = NSLock()
        private var slots: [[BlobID: Result<[UInt8], GitSourceError>]]
        init(count: Int) { slots = Array(repeating: [:], count: count) }
        func set(_ i: Int, _ value: [BlobID: Result<[UInt8], GitSourceError>]) { lock.withLock { slots[i] = value } }
        func get(_ i: Int) -> [BlobID: Result<[UInt8], GitSourceError>] { lock.withLock { slots[i] } }
    }
}

@Suite struct BlobIDTests {
    @Test func keepsTheHashAndItsTextualForms() throws {
        let hex = "0123456789abcdef0123456789abcdef01234567"
        let id = try #require(BlobID(hex: hex.uppercased()))
        #expect(id.hex == hex)
        #expect(id.short == "0123456789ab")
        #expect(id.description == hex)
        #expect(BlobID(hex: "xyz") == nil)
        #expect(BlobID(hex: String(hex.dropLast())) == nil)
        #expect(BlobID.of(Array("hello\n".utf8)).hex == "ce013625030ba8dba906f756967f9e9ca394464a")
    }

    @Test func ordersAsItsHexDigits() throws {
        let texts = ["ffffffffffffffffffffffffffffffffffffffff", "0000000000000000000000000000000000000001",
                     "00000000000000000000000000000000000000ff", "0000000000000000ff0000000000000000000000",
                     "8000000000000000000000000000000000000000", "0000000000000000000000000000000000000000"]
        let ids = try texts.map { try #require(BlobID(hex: $0)) }
        #expect(ids.sorted().map(\.hex) == texts.sorted())
        #expect(Set(ids).count == texts.count)
    }

    @Test func encodesAsBeforeWithAHexField() throws {
        let id = try #require(BlobID(hex: "ce013625030ba8dba906f756967f9e9ca394464a"))
        let data = try JSONEncoder().encode(id)
        #expect(String(decoding: data, as: UTF8.self) == #"{"hex":"ce013625030ba8dba906f756967f9e9ca394464a"}"#)
        #expect(try JSONDecoder().decode(BlobID.self, from: data) == id)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(BlobID.self, from: Data(#"{"hex":"nope"}"#.utf8))
        }
    }
}
