import ArgumentParser
import Foundation
import Reconciler

/// `converge token hash`: the line a tokens file needs for a token read from stdin.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make entries for the controller's --tokens-file.",
        subcommands: [Hash.self])

    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash",
            abstract: "Read a token from stdin and print its tokens-file line (sha256: <hex>).",
            discussion: """
                The token is read from standard input (a trailing newline is dropped) so it stays out of the \
                shell history: `converge token hash < token.txt`. The same digest: `printf %s TOKEN | sha256sum`.
                """)

        func run() throws {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            var bytes = Array(input)[...]
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            guard !bytes.isEmpty else { throw fail("no token on standard input") }
            guard !bytes.contains(where: { $0 == 0x0A || $0 == 0x20 || $0 == 0x09 }) else {
                throw fail("the token must be one line without spaces")
            }
            Console.out("sha256: \(APIToken.hexDigest(of: bytes))\n")
        }
    }
}
