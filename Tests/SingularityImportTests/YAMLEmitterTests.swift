import Manifests
import Testing
@testable import SingularityImport

/// The emitter's strings read back byte for byte through Converge's own YAML decoder.
@Suite("YAML emitter")
struct YAMLEmitterTests {
    /// A Service manifest whose command and env hold `text`; returns what the decoder read back.
    func roundTrip(_ text: String) throws -> (command: Command?, env: String?, owner: String?) {
        // A command of only whitespace is invalid (rightly): use "x" then.
        let command = text.allSatisfy(\.isWhitespace) ? "x" : text
        let doc = YAMLNode.map([
            ("apiVersion", .string("converge/v1")), ("kind", .string("Worker")),
            ("metadata", .map([("name", .string("w")), ("owners", .list([.string(text.isEmpty ? "x" : text)]))])),
            ("spec", .map([("command", .string(command)), ("env", .map([("V", .string(text))]))])),
        ])
        let yaml = YAMLEmitter.document(doc)
        let set = loadManifests([ManifestFile(path: "w.yaml", contents: Array(yaml.utf8))])
        #expect(set.errors.isEmpty, "\(set.errors) for \(yaml.debugDescription)")
        let workload = set.workloads["w"]
        return (workload?.spec.command, workload?.spec.env["V"], workload?.metadata.owners.first)
    }

    static let hostile = [
        "yes", "No", "ON", "off", "y", "n", "null", "Null", "~", "true", "FALSE", "0755", "1e3", "-1", "+1", ".5",
        "0x1F", "0o17", "1_000", "12:30", ".inf", "-.Inf", ".NaN", "a: b", "a:b", "x #y", "#x", "- item", "-", "?",
        ":", "[x]", "{a}", "a,b", "&anchor", "*alias", "!tag", "|", ">", "'single'", "\"double\"", "%directive",
        "@at", "`tick`", " leading", "trailing ", "tab\tinside", "a\r\nb", "line1\nline2", "line1\nline2\n",
        "line1\n\n\n", "\n", "\nstarts with newline", "  indented\nlines", "a\n  b\n\tc\n", "café ☃ 日本",
        "bell\u{07}", "nul\u{00}byte", "del\u{7F}", "next\u{85}line", "ls\u{2028}ps\u{2029}", "\u{FEFF}bom",
        "back\\slash", "--- not a document", "...", "key: value\nother: 1", "# comment\nline", "",
        "exec python3 -c 'import sys; print(sys.argv)' \"$@\"",
        "printf '%s\\n' \"a: b\" && exec sleep 1  ",
    ]

    @Test("hostile strings read back exactly", arguments: hostile)
    func hostileStrings(_ text: String) throws {
        let back = try roundTrip(text)
        #expect(back.env == text)
        if !text.isEmpty {
            #expect(back.owner == text)
            if !text.allSatisfy(\.isWhitespace) { #expect(back.command == .shell(text)) }
        }
    }

    @Test("random strings over a hostile alphabet read back exactly (500 cases)")
    func randomStrings() throws {
        let alphabet: [Character] = Array("ab0 :#-?[]{},&*!|>'\"%@`\\\n\t\r~.yesnoé☃") + ["\u{85}", "\u{2028}", "\u{FEFF}", "\u{01}"]
        var generator = SeededGenerator(state: 14)
        for _ in 0..<500 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let back = try roundTrip(text)
            #expect(back.env == text, "\(text.debugDescription)")
        }
    }

    @Test("plain only where safe; block scalars keep trailing newlines")
    func forms() {
        #expect(YAMLEmitter.scalar("web") == "web")
        #expect(YAMLEmitter.scalar("yes") == "\"yes\"")
        #expect(YAMLEmitter.scalar("0755") == "\"0755\"")
        #expect(YAMLEmitter.scalar("a: b") == "\"a: b\"")
        #expect(YAMLEmitter.document(.map([("k", .string("a\nb"))])) == "k: |-\n  a\n  b\n")
        #expect(YAMLEmitter.document(.map([("k", .string("a\nb\n"))])) == "k: |\n  a\n  b\n")
        #expect(YAMLEmitter.document(.map([("k", .string("a\n\n"))])) == "k: |+\n  a\n\n")
    }

    @Test("key order is the order the map was built in")
    func stableOrder() {
        let yaml = YAMLEmitter.document(.map([("b", .int(1)), ("a", .list([.map([("z", .bool(true)), ("x", .double(0.5))])]))]))
        #expect(yaml == "b: 1\na:\n  - z: true\n    x: 0.5\n")
    }
}
