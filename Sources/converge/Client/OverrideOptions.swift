import ArgumentParser
import Reconciler

/// `--for DURATION --reason TEXT` of the override commands.
struct OverrideOptions: ParsableArguments {
    @Option(name: .customLong("for"), help: ArgumentHelp(
        "How long the override lasts: 30s, 15m, 2h, 1d, 1h30m (at most 30d; default: until removed).", valueName: "duration"))
    var duration: String?

    @Option(help: ArgumentHelp("Why, for the people who see the drift.", valueName: "text"))
    var reason: String?

    func validate() throws {
        if let duration {
            do {
                _ = try OverrideDuration.parse(duration)
            } catch {
                throw ValidationError("--for: \(error.description)")
            }
        }
    }

    /// `{"for": ..., "reason": ...}` members for the request body.
    var members: [(String, APIJSON)] {
        var members: [(String, APIJSON)] = []
        if let duration { members.append(("for", .string(duration))) }
        if let reason { members.append(("reason", .string(reason))) }
        return members
    }
}

/// "until 2026-... (2h)" or "until removed".
func describeExpiry(_ answer: OverrideAnswer, duration: String?) -> String {
    guard let expiresAt = answer.expiresAt else { return "until removed" }
    return "until \(APIDate.format(expiresAt))" + (duration.map { " (\($0))" } ?? "")
}
