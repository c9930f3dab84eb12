import ArgumentParser
import Manifests

/// `converge schema`: the JSON Schema of the manifest format, for editors (yaml-language-server).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of one manifest document.",
        discussion: """
            Built from the field tables the decoder reads, so it accepts exactly the fields `converge validate` \
            accepts. Point an editor at it with a first line such as
              # yaml-language-server: $schema=\(ManifestSchema.committedPath)
            Value rules (names, cron syntax, ranges, cross-document checks) stay with `converge validate`.
            """)

    func run() throws {
        Console.out(ManifestSchema.text)
    }
}
