import ArgumentParser
import Foundation
import Reconciler

/// `converge status [NAME] [--server URL]`: the services of a running controller, with sync and health;
/// with a NAME, that service's tasks, deploys and overrides.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what a running controller runs: sync status and health per service.",
        discussion: "Exit status: 0 shown, 1 the controller cannot be reached.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Show one service in detail: its tasks, deploys and overrides.")
    var name: String?

    @OptionGroup var server: ServerOptions

    @Option(help: "Output format (json: the API's /api/v1/services or /api/v1/services/NAME answer).")
    var format: Format = .text

    func run() async throws {
        let client = try server.client()
        if let name {
            let path = "/api/v1/services/\(APIClient.segment(name))"
            if format == .json {
                let data = try await APIClient.run { try await client.send("GET", path) }
                Console.out(String(decoding: data, as: UTF8.self))
            } else {
                let detail = try await APIClient.run { try await client.get(path, as: ServiceDetailDocument.self) }
                Console.out(ServiceDetailView.render(detail, style: .forStandardOutput()))
            }
            return
        }
        if format == .json {
            let data = try await APIClient.run { try await client.send("GET", "/api/v1/services") }
            Console.out(String(decoding: data, as: UTF8.self))
            return
        }
        // One after the other: cancelling a URLSession request in flight (what a failed `async let`
        // sibling does) can hang FoundationNetworking on Linux.
        let (status, services) = try await APIClient.run {
            let status = try await client.get("/api/v1/status", as: StatusDocument.self)
            let services = try await client.get("/api/v1/services", as: [ServiceDocument].self)
            return (status, services)
        }
        Console.out(Self.render(status: status, services: services, style: .forStandardOutput()))
    }

    static func render(status: StatusDocument, services: [ServiceDocument], style: Style) -> String {
        var out = "Revision: \(status.revision.map(shortSHA) ?? "(none applied)")"
        var source = [status.repository]
        if let branch = status.branch { source.append("ref \(branch)") }
        if let path = status.path { source.append("path \(path)") }
        out += " (\(source.joined(separator: ", ")))\n"
        if let latest = status.latestRevision, latest != status.revision {
            out += style.yellow("Latest at the source: \(shortSHA(latest)) (not applied)") + "\n"
        }
        if let sync = status.lastSync {
            let outcome = sync.outcome == "synced" ? style.green(sync.outcome)
                : ["rejected", "failed", "refused", "degraded"].contains(sync.outcome) ? style.red(sync.outcome) : style.yellow(sync.outcome)
            out += "Last sync: \(outcome) at \(APIDate.format(sync.at)): \(sync.message)\n"
        } else {
            out += "Last sync: none yet\n"
        }
        if !status.ready { out += style.yellow("Not ready: the controller is still starting.") + "\n" }
        if !status.framework.connected { out += style.red("Not connected to the Mesos master.") + "\n" }
        out += "\n"
        guard !services.isEmpty else { return out + "No services.\n" }
        var table = Table(header: ["NAME", "KIND", "SYNC", "HEALTH", "READY", "UP-TO-DATE", "LAST RUN", "NEXT RUN", "DEPLOY"])
        for service in services {
            let sync = service.sync.rawValue
            let health = service.health.rawValue
            let counts = Self.counts(service)
            table.rows.append([
                .init(service.name),
                .init(service.kind),
                .init(sync, styled: service.sync == .synced ? style.green(sync) : style.yellow(sync)),
                .init(health, styled: Self.color(service.health, health, style)),
                .init(counts.ready),
                .init(counts.upToDate),
                .init(counts.lastRun, styled: service.lastRun?.outcome == "failed" ? style.red(counts.lastRun) : counts.lastRun),
                .init(counts.nextRun),
                .init(service.deployId + (service.canary.map { " (\($0.summary))" } ?? "")),
            ])
        }
        return out + table.rendered(style: style)
    }

    /// kubectl's columns for long-running kinds (READY: healthy of desired; UP-TO-DATE: running instances of the
    /// target deploy); a job's last run (outcome and start) and next run instead.
    static func counts(_ service: ServiceDocument) -> (ready: String, upToDate: String, lastRun: String, nextRun: String) {
        let i = service.instances
        guard service.isJob else { return ("\(i.healthy)/\(i.desired)", String(i.updated), "-", "-") }
        let last = service.lastRun.map { "\($0.outcome) \(minute($0.startedAt))" } ?? "never"
        let next = service.nextRun.map(minute) ?? (service.kind == "OnDemand" ? "on trigger" : "-")
        return ("-", "-", last, next)
    }

    /// A time to the minute, UTC: `2026-09-21 14:13Z`.
    static func minute(_ date: Date) -> String {
        APIDate.format(date).prefix(16).replacingOccurrences(of: "T", with: " ") + "Z"
    }

    static func color(_ health: HealthStatus, _ text: String, _ style: Style) -> String {
        switch health {
        case .healthy: style.green(text)
        case .progressing: style.cyan(text)
        case .suspended: style.dim(text)
        case .degraded, .missing: style.red(text)
        }
    }
}
