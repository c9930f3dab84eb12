import ArgumentParser
import Reconciler

/// `converge abort NAME`: the canary of a service's current deploy is killed; the old deploy keeps running.
struct AbortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abort",
        abstract: "Abort a service's canary: the canaries are killed and the previous deploy keeps running.")

    @Argument(help: "The service.") var name: String
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let client = try server.client(withToken: true)
        let answer = try await APIClient.run {
            try await client.post("/api/v1/services/\(APIClient.segment(name))/abort", as: CanaryAnswer.self)
        }
        Console.out("\(answer.service): deploy \(answer.deployId) aborted; the previous deploy keeps running\n")
    }
}
