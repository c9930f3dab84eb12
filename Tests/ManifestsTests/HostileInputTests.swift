import Testing
@testable import Manifests

/// Hostile input gets a clear error in bounded time, never a crash.
@Suite struct HostileInputTests {
    static func parse(_ bytes: [UInt8], path: String = "evil.yaml") -> (ParsedFile, Duration) {
        let clock = ContinuousClock()
        var result: ParsedFile? = nil
        let elapsed = clock.measure { result = parseManifestFile(ManifestFile(path: path, contents: bytes)) }
        return (result!, elapsed)
    }

    @Test func billionLaughs() {
        var yaml = "apiVersion: converge/v1\nkind: Service\nmetadata: {name: web}\nspec:\n  env:\n"
        yaml += "    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"]
        var previous = "a"
        for name in names {
            yaml += "    \(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        let (file, elapsed) = Self.parse(Array(yaml.utf8))
        #expect(file.errors.contains { $0.message.contains("alias expansion exceeds 100000 nodes") })
        #expect(elapsed < .seconds(5))
    }

    @Test func fileOverOneMiB() {
        let bytes = Array(("# " + String(repeating: "x", count: 2 << 20) + "\n").utf8)
        let (file, elapsed) = Self.parse(bytes)
        #expect(file.errors.map(\.description) == ["evil.yaml:1:1: file is \(bytes.count) bytes, over the limit of 1048576 bytes (1 MiB)"])
        #expect(elapsed < .seconds(5))
    }

    @Test func deepNesting() {
        for text in [String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
                     String(repeating: "{a: ", count: 10_000) + String(repeating: "}", count: 10_000)] {
            let (file, elapsed) = Self.parse(Array(text.utf8))
            #expect(file.errors.count == 1)
            #expect(file.errors.first?.message == "nesting is deeper than 64 levels")
            #expect(elapsed < .seconds(5))
        }
    }

    @Test func invalidUTF8() {
        let bytes = Array("apiVersion: converge/v1\nkind: ".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect(Self.parse(bytes).0.errors.map(\.description) == ["evil.yaml:2:7: invalid UTF-8 (manifests must be UTF-8 text)"])
        // Overlong encoding and a surrogate are invalid too.
        #expect(Self.parse([0xC0, 0xAF]).0.errors.count == 1)
        #expect(Self.parse([0xED, 0xA0, 0x80]).0.errors.count == 1)
        #expect(Self.parse(Array("name: héllo ✓ 😀\n".utf8)).0.errors.allSatisfy { !$0.message.contains("UTF-8") })
    }

    @Test func binaryWithNul() {
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]
        #expect(Self.parse(bytes).0.errors.map(\.message) == ["not a text file (contains a NUL byte)"]
            || Self.parse(bytes).0.errors.map(\.message) == ["invalid UTF-8 (manifests must be UTF-8 text)"])
        #expect(Self.parse(Array("a: b\n".utf8) + [0]).0.errors.map(\.description) == ["evil.yaml:2:1: not a text file (contains a NUL byte)"])
    }

    @Test func unknownAliasAndNonScalarKeys() {
        #expect(Self.parse(Array("a: *nope\n".utf8)).0.errors.first?.message == "unknown alias '*nope'")
        let set = load(["k.yaml": "? [a, b]\n: c\n"])
        #expect(set.errors.map(\.message).contains { $0.hasPrefix("mapping keys must be plain strings") })
    }

    @Test func randomMutationsNeverCrash() {
        let seed = Array(manifest(spec: "command: [sh, -c, \"echo hi\"]\nenv: &e {A: \"1\"}\nplacement: {requiredAttributes: *e}\nresources: {cpus: 0.5}").utf8)
        var rng = SplitMix(state: 42)
        let alphabet = Array("{}[]:,-&*!|>'\"#%@` \n\t?abc01.~\u{7F}".utf8) + [0xC3, 0xFF]
        for _ in 0..<1500 {
            var bytes = seed
            for _ in 0..<Int(rng.next() % 6 + 1) {
                let position = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[position] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: position)
                default: bytes.remove(at: position)
                }
            }
            let set = assemble([parseManifestFile(ManifestFile(path: "m.yaml", contents: bytes))])
            #expect(set.errors.allSatisfy { $0.file == "m.yaml" && $0.line >= 1 && $0.column >= 1 })
        }
    }
}

struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
