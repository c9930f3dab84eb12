import ArgumentParser
import Reconciler

/// `converge promote NAME`: the canary of a service's current deploy goes on with the rolling steps.
struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Promote a service's canary: the new deploy replaces the old instances step by step.")

    @Argument(help: "The service.") var name: String
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let client = try server.client(withToken: true)
        let answer = try await APIClient.run {
            try await client.post("/api/v1/services/\(APIClient.segment(name))/promote", as: CanaryAnswer.self)
        }
        Console.out("\(answer.service): deploy \(answer.deployId) promoted\n")
    }
}

/// The answer of `POST /api/v1/services/{name}/promote|abort`.
struct CanaryAnswer: Decodable {
    var service: String
    var deployId: String
    var phase: String?
    var state: String
    var reason: String?
}
