import Foundation
import Testing
@testable import Reconciler

@Suite("Tokens file")
struct TokensFileTests {
    static let web = APIToken.hexDigest(of: Array("web-token".utf8))
    static let admin = APIToken.hexDigest(of: Array("admin-token".utf8))

    @Test func parsesNamedTokensWithOwnersOrAdmin() throws {
        let file = try TokensFile.parse(Array("""
            # who may change what
            tokens:
              ci-web:
                sha256: \(Self.web)
                owners: [team-web, team-search]
              platform:
                sha256: "\(Self.admin.uppercased())"
                admin: true
            """.utf8), file: "tokens.yaml")
        #expect(file.tokens == [
            APIToken(name: "ci-web", digest: Hex.decode(Self.web)!, owners: ["team-web", "team-search"]),
            APIToken(name: "platform", digest: Hex.decode(Self.admin)!, admin: true),
        ])
    }

    @Test func theDigestIsSHA256OfTheTokenAsSha256sumPrintsIt() {
        // printf %s test | sha256sum
        #expect(APIToken.hexDigest(of: Array("test".utf8)) == "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var problems: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "bad digest", yaml: "tokens:\n  a:\n    sha256: abc\n    owners: [x]\n",
             problems: ["t.yaml:3: tokens.a.sha256: must be 64 hex digits (the SHA-256 of the token: converge token hash)"]),
        Case(name: "missing digest", yaml: "tokens:\n  a:\n    owners: [x]\n",
             problems: ["t.yaml:3: tokens.a.sha256: missing (the SHA-256 of the token: converge token hash)"]),
        Case(name: "no scope", yaml: "tokens:\n  a:\n    sha256: \(web)\n",
             problems: ["t.yaml:3: tokens.a: needs owners: [...] or admin: true"]),
        Case(name: "empty owners", yaml: "tokens:\n  a:\n    sha256: \(web)\n    owners: []\n",
             problems: ["t.yaml:3: tokens.a.owners: is empty: the token could change nothing (name owners, or set admin: true)"]),
        Case(name: "owners not a list", yaml: "tokens:\n  a:\n    sha256: \(web)\n    owners: team-web\n",
             problems: ["t.yaml:4: tokens.a.owners: must be a list of owners, e.g. [team-web]"]),
        Case(name: "admin not a boolean", yaml: "tokens:\n  a:\n    sha256: \(web)\n    admin: \"yes\"\n",
             problems: ["t.yaml:4: tokens.a.admin: must be true or false", "t.yaml:3: tokens.a: needs owners: [...] or admin: true"].sorted()),
        Case(name: "unknown field", yaml: "tokens:\n  a:\n    sha256: \(web)\n    admin: true\n    token: hunter2\n",
             problems: ["t.yaml:5: tokens.a.token: unknown field (expected: sha256, owners, admin)"]),
        Case(name: "one token under two names", yaml: "tokens:\n  a:\n    sha256: \(web)\n    admin: true\n  b:\n    sha256: \(web)\n    owners: [x]\n",
             problems: ["t.yaml:5: tokens.b.sha256: the same token as 'a' (each token needs its own name and digest)"]),
        Case(name: "reserved name", yaml: "tokens:\n  token-file:\n    sha256: \(web)\n    admin: true\n",
             problems: ["t.yaml:2: tokens.token-file: the name 'token-file' is reserved for the --token-file token"]),
        Case(name: "unknown top-level key", yaml: "tokenz: {}\n",
             problems: ["t.yaml:1: tokenz: unknown field (expected: tokens)", "t.yaml:1: tokens: missing"]),
        Case(name: "not a mapping", yaml: "- a\n", problems: ["t.yaml:1: the file must be a mapping with a 'tokens' key"]),
        Case(name: "empty file", yaml: "", problems: ["t.yaml:1: the file must be a mapping with a 'tokens' key"]),
        Case(name: "invalid YAML", yaml: "tokens:\n  a: [\n", problems: ["t.yaml:3: invalid YAML: did not find expected node content while parsing a flow node"]),
        Case(name: "duplicate name", yaml: "tokens:\n  a:\n    sha256: \(web)\n    admin: true\n  a:\n    sha256: \(admin)\n    admin: true\n",
             problems: ["t.yaml:5: duplicate key 'a'"]),
    ]

    @Test(arguments: cases)
    func errorsNameFileLineAndField(_ testCase: Case) {
        do {
            _ = try TokensFile.parse(Array(testCase.yaml.utf8), file: "t.yaml")
            Issue.record("parsed")
        } catch let invalid as TokensFile.Invalid {
            #expect(invalid.problems.sorted() == testCase.problems.sorted())
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aMissingFileIsAClearError() {
        #expect(throws: TokensFile.Invalid.self) { try TokensFile.load("/nonexistent/tokens.yaml") }
        #expect(throws: (any Error).self) {
            try APIConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0), tokensFile: "/nonexistent/tokens.yaml").validate()
        }
    }
}
