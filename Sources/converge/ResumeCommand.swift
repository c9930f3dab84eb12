import ArgumentParser

/// `converge resume NAME`: remove a pause.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume a paused service (removes its pause override).")

    @Argument(help: "The service.") var name: String
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let client = try server.client(withToken: true)
        let answer = try await APIClient.run {
            try await client.post("/api/v1/services/\(APIClient.segment(name))/resume", as: RemovedAnswer.self)
        }
        Console.out("\(answer.service) resumed\n")
    }
}
