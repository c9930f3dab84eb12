import ArgumentParser
import Foundation

/// `--server URL [--token-file PATH]`, shared by the commands that talk to a running controller.
/// Without either, a running `converge dev`'s address and token are used (`DevCredentials`).
struct ServerOptions: ParsableArguments {
    static let defaultServer = "http://127.0.0.1:8088"

    @Option(help: ArgumentHelp(
        "The controller's API (default: $CONVERGE_SERVER, a running converge dev, or \(ServerOptions.defaultServer)).", valueName: "url"))
    var server: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp(
        "A file holding the API token (default: $CONVERGE_TOKEN_FILE, or a running converge dev's token).", valueName: "path"))
    var tokenFile: String?

    var resolvedServer: String {
        if let server, !server.isEmpty { return server }
        if let env = ProcessInfo.processInfo.environment["CONVERGE_SERVER"], !env.isEmpty { return env }
        if let dev = DevCredentials.current() { return dev.server }
        return Self.defaultServer
    }

    var resolvedTokenFile: String? {
        if let tokenFile, !tokenFile.isEmpty { return tokenFile }
        if let env = ProcessInfo.processInfo.environment["CONVERGE_TOKEN_FILE"], !env.isEmpty { return env }
        // The dev token goes only to the dev controller that made it.
        if let dev = DevCredentials.current(), dev.server == resolvedServer { return DevCredentials.tokenFile.path }
        return nil
    }

    /// A client; `withToken` requires the token (changes), otherwise it is sent when there is one
    /// (reads of a controller run with --protect-reads).
    func client(withToken: Bool = false) throws -> APIClient {
        var token: String?
        if !withToken, let path = resolvedTokenFile, let data = FileManager.default.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            token = text.isEmpty ? nil : text
        }
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
