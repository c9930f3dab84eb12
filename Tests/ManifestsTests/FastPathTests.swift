import Testing
@testable import Manifests

/// The shortcuts taken for the common case give the same answers as the general path.
@Suite struct FastPathTests {
    // MARK: Text check: an ASCII file is confirmed eight bytes at a time.

    @Test(arguments: [0, 1, 6, 7, 8, 9, 15, 16, 17, 40])
    func aNulAnywhereIsFound(offset: Int) {
        var bytes = Array(repeating: UInt8(ascii: "a"), count: 41)
        bytes[offset] = 0
        #expect(TextCheck.check(bytes) == .binary(line: 1, column: offset + 1))
    }

    @Test(arguments: [0, 3, 7, 8, 12, 23])
    func aByteOverASCIIIsCheckedAsUTF8(offset: Int) {
        var bytes = Array("a: b\nkey: value\n# notes ".utf8)
        #expect(TextCheck.check(bytes) == nil)
        bytes.insert(contentsOf: Array("é".utf8), at: offset)
        #expect(TextCheck.check(bytes) == nil)
        bytes[offset + 1] = 0x28  // a lead byte without its continuation
        #expect(TextCheck.check(bytes) != nil)
    }

    @Test func emptyAndShortInputs() {
        #expect(TextCheck.check([]) == nil)
        #expect(TextCheck.check(Array("ab".utf8)) == nil)
        #expect(TextCheck.check([0x80]) == .invalidUTF8(line: 1, column: 1))
        #expect(TextCheck.check(Array("a\nb\n".utf8) + [0]) == .binary(line: 3, column: 1))
    }

    // MARK: Source locations: the file path is interned.

    @Test func locationsCompareByPathThenPosition() {
        let a1 = SourceLocation(file: "b/app.yaml", line: 3, column: 1)
        let a2 = SourceLocation(file: "b/app.yaml", line: 3, column: 1)
        let b = SourceLocation(file: "a/zz.yaml", line: 90, column: 9)
        #expect(a1 == a2)
        #expect(a1.hashValue == a2.hashValue)
        #expect(b < a1)
        #expect(SourceLocation(file: "b/app.yaml", line: 2, column: 7) < a1)
        #expect(a1.description == "b/app.yaml:3:1")
        var moved = a1
        moved.file = "c.yaml"
        moved.line = 4
        #expect(moved.description == "c.yaml:4:1")
        #expect(moved != a1)
        #expect(a1.file == "b/app.yaml")
    }

    @Test func errorsKeepTheirFileThroughDefaults() {
        let set = load([
            "team/defaults.yaml": """
                apiVersion: converge/v1
                kind: Defaults
                metadata: {name: d}
                spec: {resources: {cpus: -1}}
                """,
            "team/web.yaml": manifest(),
        ])
        #expect(set.errors.map(\.description).contains { $0.hasPrefix("team/defaults.yaml:4:") })
    }

    // MARK: Field names: a known key is matched by its bytes.

    @Test func knownKeysRepeatedOrMergedOrQuoted() {
        #expect(errorLines(manifest(spec: "command: a\ninstances: 1\ninstances: 2")) == [
            "app.yaml:8:3: spec.instances: duplicate key (first at line 7)",
        ])
        // A merge key does not override a key written in the mapping; a quoted key is still the field.
        let yaml = manifest(spec: "\"command\": sleep 2\nresources: {<<: {cpus: 0.5, memoryMb: 64}, cpus: 0.25}")
        let set = load(["a.yaml": yaml])
        #expect(set.errors == [])
        #expect(set.workloads["web"]?.spec.resources.cpus == 0.25)
        #expect(set.workloads["web"]?.spec.resources.memoryMb == 64)
        #expect(errorLines(manifest(spec: "command: a\nresources: {cpu: 1}")) == [
            "app.yaml:7:15: spec.resources.cpu: unknown field; did you mean 'cpus'?",
        ])
        // A prefix or an extension of a field name is not that field.
        #expect(errorLines(manifest(spec: "command: a\nresources: {cpusx: 1, cpu: 2}")).count == 2)
    }
}
