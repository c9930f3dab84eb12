import ArgumentParser
import Foundation
import Logging
import Reconciler

/// Where the controller's HTTP API listens and which secrets guard it.
struct APIOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Address of the HTTP API (status, metrics, webhook, overrides).", valueName: "host:port"))
    var listen: String = APIConfiguration.defaultListen.description

    @Option(help: ArgumentHelp("File holding the bearer token for POST endpoints (without it they are refused).", valueName: "file"))
    var tokenFile: String?

    @Option(help: ArgumentHelp("File holding the webhook secret (X-Hub-Signature-256); without it /hooks/git is refused.",
                               valueName: "file"))
    var webhookSecretFile: String?

    func validate() throws {
        _ = try address()
    }

    func address() throws -> ListenAddress {
        do {
            return try ListenAddress(parsing: listen)
        } catch {
            throw ValidationError("--listen: \(error)")
        }
    }

    func configuration() throws -> APIConfiguration {
        let configuration = APIConfiguration(listen: try address(), tokenFile: tokenFile, webhookSecretFile: webhookSecretFile)
        try configuration.validate()
        return configuration
    }
}
