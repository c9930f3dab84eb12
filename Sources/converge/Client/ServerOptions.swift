import ArgumentParser
import Foundation

/// `--server URL [--token-file PATH]`, shared by the commands that talk to a running controller.
struct ServerOptions: ParsableArguments {
    static let defaultServer = "http://127.0.0.1:8088"

    @Option(help: ArgumentHelp(
        "The controller's API (default: $CONVERGE_SERVER or \(ServerOptions.defaultServer)).", valueName: "url"))
    var server: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp(
        "A file holding the API token for changes (default: $CONVERGE_TOKEN_FILE).", valueName: "path"))
    var tokenFile: String?

    var resolvedServer: String {
        if let server, !server.isEmpty { return server }
        if let env = ProcessInfo.processInfo.environment["CONVERGE_SERVER"], !env.isEmpty { return env }
        return Self.defaultServer
    }

    var resolvedTokenFile: String? {
        if let tokenFile, !tokenFile.isEmpty { return tokenFile }
        if let env = ProcessInfo.processInfo.environment["CONVERGE_TOKEN_FILE"], !env.isEmpty { return env }
        return nil
    }

    /// A client for reads; `withToken` also reads the token file (needed for changes).
    func client(withToken: Bool = false) throws -> APIClient {
        var token: String?
        if withToken {
            guard let path = resolvedTokenFile else {
                throw fail("changes need the API token: pass --token-file PATH or set CONVERGE_TOKEN_FILE")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw fail("cannot read the token file \(path)")
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw fail("the token file \(path) is empty") }
            token = text
        }
        return try APIClient(server: resolvedServer, token: token)
    }
}
