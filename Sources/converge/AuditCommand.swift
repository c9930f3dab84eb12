import ArgumentParser
import Foundation
import Reconciler

/// `converge audit [--service NAME] [--limit N] [--format text|json]`: who changed what, newest first.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the writes a running controller was asked for, allowed or refused, newest first.")

    @OptionGroup var server: ServerOptions

    @Option(help: "Only this service's entries.")
    var service: String?

    @Option(help: "Show at most this many entries.")
    var limit: Int = 50

    @Option(help: "Output format (json: the API's /api/v1/audit answer).")
    var format: StatusCommand.Format = .text

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let client = try server.client()
        var path = "/api/v1/audit?limit=\(limit)"
        if let service { path += "&service=\(APIClient.segment(service))" }
        if format == .json {
            let data = try await APIClient.run { try await client.send("GET", path) }
            Console.out(String(decoding: data, as: UTF8.self))
            return
        }
        let entries = try await APIClient.run { try await client.get(path, as: [AuditEntryDocument].self) }
        Console.out(Self.render(entries, style: .forStandardOutput()))
    }

    static func render(_ entries: [AuditEntryDocument], style: Style) -> String {
        guard !entries.isEmpty else { return "No writes recorded.\n" }
        var table = Table(header: ["TIME", "ACTOR", "ACTION", "SERVICE", "FROM", "STATUS", "MESSAGE"])
        for entry in entries {
            let status = String(entry.status)
            let styled = (200..<300).contains(entry.status) ? style.green(status) : style.red(status)
            table.rows.append([
                .init(APIDate.format(entry.time)), .init(entry.actor), .init(entry.action), .init(entry.service ?? "-"),
                .init(entry.remoteAddress), .init(status, styled: styled), .init(entry.message),
            ])
        }
        return table.rendered(style: style)
    }
}
