import ArgumentParser
import Foundation
import Logging
import Reconciler

/// `--notify URL` (repeatable) and `--notify-secret-file F` of `converge run` and `converge dev`.
struct NotifyOptions: ParsableArguments {
    @Option(name: .customLong("notify"), help: ArgumentHelp(
        "POST deploy notifications (JSON events) to this URL; repeat for several receivers.", valueName: "url"))
    var urls: [String] = []

    @Option(name: .customLong("notify-secret-file"), help: ArgumentHelp(
        "Sign notifications with the secret in this file (header X-Converge-Signature-256: sha256=<HMAC>).", valueName: "file"))
    var secretFile: String?

    func validate() throws {
        for url in urls {
            guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
                  components.host?.isEmpty == false else {
                throw ValidationError("--notify: expected an http or https URL, got '\(url)'")
            }
        }
        if secretFile != nil, urls.isEmpty { throw ValidationError("--notify-secret-file needs at least one --notify URL") }
    }

    /// The notifier, started; nil without `--notify`. The secret is read once, here.
    func makeNotifier(metrics: ControllerMetrics, logger: Logger) throws -> Notifier? {
        guard !urls.isEmpty else { return nil }
        var configuration = NotifierConfiguration(urls: urls)
        if let secretFile {
            guard let data = FileManager.default.contents(atPath: secretFile) else {
                throw ValidationError("--notify-secret-file: cannot read \(secretFile)")
            }
            let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { throw ValidationError("--notify-secret-file: \(secretFile) is empty") }
            configuration.secret = Array(secret.utf8)
        }
        let notifier = Notifier(configuration: configuration, registry: metrics.registry, logger: logger)
        notifier.start()
        return notifier
    }
}
