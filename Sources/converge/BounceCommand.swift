import ArgumentParser
import Reconciler

/// `converge bounce NAME [--reason TEXT]`: a rolling restart of the current deploy.
struct BounceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounce",
        abstract: "Restart a service's instances step by step, gated on health (a rolling restart).")

    @Argument(help: "The service.") var name: String
    @Option(help: ArgumentHelp("Why, for the people who see the restart.", valueName: "text")) var reason: String?
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let client = try server.client(withToken: true)
        let body = APIJSON.object(reason.map { [("reason", APIJSON.string($0))] } ?? [])
        let answer = try await APIClient.run {
            try await client.post("/api/v1/services/\(APIClient.segment(name))/bounce", body: body, as: OverrideAnswer.self)
        }
        Console.out("\(answer.service) bouncing: \(answer.reason)\n")
    }
}
