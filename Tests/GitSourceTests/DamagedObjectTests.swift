import Foundation
import Testing
@testable import GitSource

/// Objects are not hashed again on every read (as git itself does not): a damaged object still fails
/// its read, through zlib's checksum, loose or packed, and never reads as other bytes.
@Suite struct DamagedObjectTests {
    static let text = "apiVersion: converge/v1\nkind: Worker\nmetadata: {name: w}\nspec: {command: sleep 1}\n"
    /// Nothing like `text`, so that a packed `w.yaml` is no delta base for it.
    static let other = "# \(String(repeating: "unrelated 0123456789 ", count: 4))\n"

    private func repository(packed: Bool) throws -> (Scratch, blob: String) {
        let scratch = try Scratch("damaged")
        try GitCLI.run(["init", "-q", "-b", "main"], in: scratch.path)
        try Files.write(scratch.sub("w.yaml"), Self.text)
        try Files.write(scratch.sub("other.yaml"), Self.other)
        try GitCLI.run(["add", "-A"], in: scratch.path)
        try GitCLI.run(["commit", "-q", "-m", "one"], in: scratch.path)
        if packed { try GitCLI.run(["gc", "-q"], in: scratch.path) }
        let blob = try GitCLI.run(["rev-parse", "HEAD:w.yaml"], in: scratch.path)
        return (scratch, blob)
    }

    /// Flips one byte of `file` at `offset`.
    private func flip(_ file: String, at offset: Int) throws {
        var bytes = try Files.bytes(file)
        bytes[offset] ^= 0x55
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        try Files.write(file, bytes)
    }

    private func expectReadFails(_ scratch: Scratch) throws {
        let repo = try GitRepository.open(path: scratch.path)
        let entries = try repo.entries(at: repo.resolve("main"), extensions: ["yaml"])
        let damaged = try #require(entries.first { $0.path == "w.yaml" })
        #expect(throws: GitSourceError.self) { try repo.read(damaged) }
        let results = repo.blobs([try #require(damaged.blob)], sizesChecked: true)
        guard case .failure? = results[try #require(damaged.blob)] else {
            Issue.record("a damaged blob read as \(String(describing: results))")
            return
        }
        // The undamaged file next to it still reads.
        let other = try #require(entries.first { $0.path == "other.yaml" })
        #expect(try repo.read(other) == Array(Self.other.utf8))
    }

    @Test func aDamagedLooseObjectFailsItsRead() throws {
        let (scratch, blob) = try repository(packed: false)
        defer { scratch.remove() }
        let file = scratch.sub(".git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
        try flip(file, at: try Files.bytes(file).count / 2)
        try expectReadFails(scratch)
    }

    @Test func aDamagedPackedObjectFailsItsRead() throws {
        let (scratch, blob) = try repository(packed: true)
        defer { scratch.remove() }
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: scratch.sub(".git/objects/pack"))
            .first { $0.hasSuffix(".pack") })
        let index = scratch.sub(".git/objects/pack/" + pack.replacingOccurrences(of: ".pack", with: ".idx"))
        // `sha type size size-in-pack offset ...`: damage the middle of the object's compressed data.
        let line = try #require(try GitCLI.run(["verify-pack", "-v", index], in: scratch.path)
            .split(separator: "\n").first { $0.hasPrefix(blob) })
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        let sizeInPack = try #require(Int(fields[3])), offset = try #require(Int(fields[4]))
        try flip(scratch.sub(".git/objects/pack/" + pack), at: offset + sizeInPack - 6)
        try expectReadFails(scratch)
    }
}
