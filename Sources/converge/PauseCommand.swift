import ArgumentParser
import Reconciler

/// `converge pause NAME [--for 2h] [--reason TEXT]`: stop a service's tasks until resumed or expired.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a service: its tasks stop until `converge resume` or the override expires.")

    @Argument(help: "The service.") var name: String
    @OptionGroup var override: OverrideOptions
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let client = try server.client(withToken: true)
        let answer = try await APIClient.run {
            try await client.post("/api/v1/services/\(APIClient.segment(name))/pause", body: .object(override.members), as: OverrideAnswer.self)
        }
        Console.out("\(answer.service) paused \(describeExpiry(answer, duration: override.duration)): \(answer.reason)\n")
    }
}
