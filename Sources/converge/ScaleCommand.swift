import ArgumentParser
import Reconciler

/// `converge scale NAME N [--for 2h] [--reason TEXT]`: an expiring instance-count override.
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Override a service's instance count, for a while (shows as drift until it expires).")

    @Argument(help: "The service.") var name: String
    @Argument(help: "The instance count.") var instances: Int
    @OptionGroup var override: OverrideOptions
    @OptionGroup var server: ServerOptions

    func validate() throws {
        guard instances >= 0 else { throw ValidationError("the instance count must be 0 or more, got \(instances)") }
    }

    func run() async throws {
        let client = try server.client(withToken: true)
        let body = APIJSON.object([("instances", .int(instances))] + override.members)
        let answer = try await APIClient.run {
            try await client.post("/api/v1/services/\(APIClient.segment(name))/scale", body: body, as: OverrideAnswer.self)
        }
        Console.out("\(answer.service) scaled to \(answer.value ?? instances) \(describeExpiry(answer, duration: override.duration)): \(answer.reason)\n")
    }
}
