/// What the importer did with each request: where its manifest went, and every field it could not
/// map (or mapped with a change of meaning).
public struct ImportReport: Sendable, Hashable {
    public struct Note: Sendable, Hashable {
        /// The Singularity field, e.g. `deploy.healthcheck.failureStatusCodes`.
        public var field: String
        public var message: String

        public init(field: String, _ message: String) {
            self.field = field
            self.message = message
        }
    }

    public struct Entry: Sendable, Hashable {
        public var requestId: String
        public var requestType: String
        /// The Converge name; differs from the id when it had to be sanitized.
        public var name: String
        /// The manifest's path in the output, nil when the request was not imported.
        public var path: String?
        /// Why the request was not imported.
        public var skipped: String?
        public var notes: [Note]

        public var renamed: Bool { name != requestId }
    }

    public var source: String
    public var entries: [Entry]

    public var importedCount: Int { entries.filter { $0.path != nil }.count }
    public var skippedCount: Int { entries.filter { $0.path == nil }.count }
    public var noteCount: Int { entries.reduce(0) { $0 + $1.notes.count } }

    /// The report as printed on the terminal.
    public var text: String {
        var out = "Imported \(importedCount) of \(entries.count) Singularity requests from \(source)"
        out += skippedCount > 0 ? "; \(skippedCount) not imported.\n" : ".\n"
        for entry in entries where entry.path == nil || entry.renamed || !entry.notes.isEmpty {
            out += "\n\(entry.requestId) (\(entry.requestType))"
            if let path = entry.path { out += " -> \(path)" }
            out += "\n"
            if let skipped = entry.skipped { out += "  NOT IMPORTED: \(skipped)\n" }
            if entry.renamed { out += "  renamed: \"\(entry.requestId)\" is not a DNS label; the manifest is named \(entry.name)\n" }
            for note in entry.notes { out += "  \(note.field): \(note.message)\n" }
        }
        return out
    }

    /// IMPORT-REPORT.md.
    public var markdown: String {
        var out = "# Import from Singularity\n\n"
        out += "Source: `\(source)`. Imported \(importedCount) of \(entries.count) requests"
        out += skippedCount > 0 ? "; \(skippedCount) not imported.\n" : ".\n"
        out += "\nReview every entry below before you commit: each names a Singularity field that has no exact "
        out += "Converge equivalent and what the importer did with it.\n"
        out += "\n| Request | Type | Manifest | Notes |\n|---|---|---|---|\n"
        for entry in entries {
            let where_ = entry.path.map { "`\($0)`" } ?? "not imported"
            out += "| `\(cell(entry.requestId))` | \(entry.requestType) | \(where_) | \(entry.notes.count + (entry.renamed ? 1 : 0)) |\n"
        }
        for entry in entries where entry.path == nil || entry.renamed || !entry.notes.isEmpty {
            out += "\n## `\(entry.requestId)`\n\n"
            if let path = entry.path { out += "Manifest `\(path)` (name `\(entry.name)`).\n\n" }
            if let skipped = entry.skipped { out += "- **Not imported:** \(skipped)\n" }
            if entry.renamed { out += "- renamed: `\(entry.requestId)` is not a DNS label; the manifest is named `\(entry.name)`\n" }
            for note in entry.notes { out += "- `\(note.field)`: \(note.message)\n" }
        }
        return out
    }

    private func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
