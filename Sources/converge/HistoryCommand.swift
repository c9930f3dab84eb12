import ArgumentParser
import Reconciler

/// `converge history [--limit N]`: the controller's syncs, newest first.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the syncs of a running controller, newest first.")

    @OptionGroup var server: ServerOptions

    @Option(help: "Show at most this many syncs.")
    var limit: Int = 20

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let client = try server.client()
        let records = try await APIClient.run {
            try await client.get("/api/v1/history?limit=\(limit)", as: [SyncRecordDocument].self)
        }
        Console.out(Self.render(records, style: .forStandardOutput()))
    }

    static func render(_ records: [SyncRecordDocument], style: Style) -> String {
        guard !records.isEmpty else { return "No syncs yet.\n" }
        var table = Table(header: ["ID", "STARTED", "TRIGGER", "REVISION", "OUTCOME", "MESSAGE"])
        var out = ""
        for record in records {
            let outcome = record.outcome
            let styled = outcome == "synced" ? style.green(outcome)
                : outcome == "progressing" ? style.cyan(outcome) : style.red(outcome)
            table.rows.append([
                .init(String(record.id)), .init(APIDate.format(record.startedAt)), .init(record.trigger),
                .init(record.revision.map(shortSHA) ?? "-"), .init(outcome, styled: styled), .init(record.message),
            ])
        }
        out += table.rendered(style: style)
        for record in records where !record.errors.isEmpty {
            out += "\nSync \(record.id) errors:\n" + record.errors.map { "  \($0)\n" }.joined()
        }
        return out
    }
}
