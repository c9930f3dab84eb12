import ArgumentParser
import Foundation
import Logging
import Reconciler

/// Where the controller's HTTP API listens and which secrets guard it.
struct APIOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Address of the HTTP API (status, metrics, webhook, overrides).", valueName: "host:port"))
    var listen: String = APIConfiguration.defaultListen.description

    @Option(help: ArgumentHelp("File holding an admin bearer token for changes (named token-file in the audit log).", valueName: "file"))
    var tokenFile: String?

    @Option(help: ArgumentHelp(
        "YAML file of named tokens (SHA-256 digests) scoped to owners or admin; re-read when it changes. Without it and --token-file, changes are refused.",
        valueName: "file"))
    var tokensFile: String?

    @Flag(help: "Reads of the API and /metrics need a valid token too (/healthz and /readyz stay open).")
    var protectReads: Bool = false

    @Option(help: ArgumentHelp("File holding the webhook secret (X-Hub-Signature-256); without it /hooks/git is refused.",
                               valueName: "file"))
    var webhookSecretFile: String?

    func validate() throws {
        _ = try address()
        if let tokensFile {
            do {
                _ = try TokensFile.load(tokensFile)
            } catch {
                throw ValidationError("--tokens-file: \(error)")
            }
        }
        if protectReads, tokenFile == nil, tokensFile == nil {
            throw ValidationError("--protect-reads needs --token-file or --tokens-file")
        }
    }

    func address() throws -> ListenAddress {
        do {
            return try ListenAddress(parsing: listen)
        } catch {
            throw ValidationError("--listen: \(error)")
        }
    }

    func configuration() throws -> APIConfiguration {
        let configuration = APIConfiguration(listen: try address(), tokenFile: tokenFile, tokensFile: tokensFile,
                                             protectReads: protectReads, webhookSecretFile: webhookSecretFile)
        do {
            try configuration.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        return configuration
    }
}
