import ArgumentParser
import Foundation
import SingularityImport

/// `converge import singularity ...`: turn another system's configuration into manifests.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write manifests for what another system runs.",
        subcommands: [ImportSingularityCommand.self])
}

/// `converge import singularity --url URL [--token-file F] --out DIR [--path-per owner|none]`
struct ImportSingularityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "singularity",
        abstract: "Write one manifest per request of a running Singularity.",
        discussion: """
            Reads every request and its active deploy from Singularity's API and writes one manifest per
            request into DIR (a new or empty folder), with IMPORT-REPORT.md listing, per request, every
            field that could not be mapped. The manifests are validated before anything is written; on
            any error nothing is written. Exit status: 0 imported, 1 error, 64 usage error.
            """)

    enum PathPer: String, ExpressibleByArgument, CaseIterable {
        case owner, none
    }

    @Option(help: ArgumentHelp("Singularity's base URL, e.g. http://singularity:7099/singularity.", valueName: "url"))
    var url: String

    @Option(name: .customLong("token-file"), help: ArgumentHelp("A file holding an API token.", valueName: "path"))
    var tokenFile: String?

    @Option(name: .customLong("auth-scheme"), help: ArgumentHelp(
        "The word before the token in the Authorization header (Singularity's token auth: Token).", valueName: "word"))
    var authScheme = "Token"

    @Option(help: ArgumentHelp("The folder to write (must not exist or be empty).", valueName: "dir"))
    var out: String

    @Option(name: .customLong("path-per"), help: "owner: DIR/<first owner>/<name>.yaml; none: DIR/<name>.yaml.")
    var pathPer: PathPer = .owner

    @Flag(name: .customLong("skip-undeployed"), help: "Import the other requests when some have no active deploy.")
    var skipUndeployed = false

    func validate() throws {
        if authScheme.isEmpty || authScheme.contains(where: \.isWhitespace) {
            throw ValidationError("--auth-scheme must be one word, e.g. Token or Bearer")
        }
    }

    func run() async throws {
        do {
            try SingularityImport.checkOutputFolder(out)
            let client = try SingularityClient(url: url, token: try readToken(), scheme: authScheme)
            let parents = try await client.fetchAll()
            let output = try SingularityImport.convert(
                parents, source: client.base,
                options: .init(pathPer: pathPer == .owner ? .owner : .none, skipUndeployed: skipUndeployed))
            try SingularityImport.write(output, to: out)
            Console.out(output.report.text)
            Console.out("\nWrote \(output.files.count) manifests to \(out) (report: \(out)/IMPORT-REPORT.md).\n")
            Console.out("Next: review the report, `converge validate \(out)`, commit, then `converge plan`.\n")
        } catch {
            throw fail(error.description)
        }
    }

    private func readToken() throws(ImportError) -> String? {
        guard let tokenFile else { return nil }
        guard let data = FileManager.default.contents(atPath: tokenFile) else {
            throw .output("cannot read the token file \(tokenFile)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .output("the token file \(tokenFile) is empty") }
        return token
    }
}
