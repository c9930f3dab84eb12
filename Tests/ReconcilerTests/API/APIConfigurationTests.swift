import Foundation
import Testing
@testable import Reconciler

@Suite struct APIConfigurationTests {
    @Test(arguments: [
        ("127.0.0.1:8088", "127.0.0.1", 8088), ("0.0.0.0:80", "0.0.0.0", 80), (":9000", "127.0.0.1", 9000),
        ("[::1]:8088", "::1", 8088), ("localhost:0", "localhost", 0),
    ])
    func listenAddresses(_ text: String, _ host: String, _ port: Int) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host && address.port == port)
    }

    @Test(arguments: [
        ("127.0.0.1", "missing :port"), ("127.0.0.1:http", "port must be 0-65535"), ("127.0.0.1:70000", "port must be 0-65535"),
        ("::1:8088", "brackets"), ("[::1:8088", "missing ]"), ("[::1]8088", "missing :port"),
    ])
    func badListenAddresses(_ text: String, _ fragment: String) {
        #expect {
            try ListenAddress(parsing: text)
        } throws: { error in
            "\(error)".contains(fragment) && "\(error)".contains("invalid listen address \"\(text)\"")
        }
    }

    @Test func defaultsListenOnLoopback() {
        #expect(APIConfiguration().listen.description == "127.0.0.1:8088")
        #expect(ListenAddress(host: "::1", port: 80).description == "[::1]:80")
    }

    @Test func secretFilesAreCheckedAtStart() async throws {
        let secrets = try SecretsFolder()
        let empty = secrets.root.appendingPathComponent("empty").path
        try Data(" \n".utf8).write(to: URL(fileURLWithPath: empty))
        let missing = secrets.root.appendingPathComponent("missing").path
        #expect(throws: (any Error).self) { try APIConfiguration(tokenFile: missing).validate() }
        #expect { try APIConfiguration(webhookSecretFile: empty).validate() } throws: { "\($0)".contains("is empty") }
        #expect { try APIConfiguration(tokenFile: missing).validate() } throws: {
            "\($0)" == "cannot read the API token file \(missing)"
        }
        try APIConfiguration(tokenFile: secrets.tokenFile, webhookSecretFile: secrets.webhookFile).validate()

        // The server refuses to start rather than run without the protection it was given.
        let server = APIServer(handle: RecordingHandle(APIFixtures.state()),
                               configuration: APIConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0), tokenFile: missing))
        await #expect(throws: (any Error).self) { _ = try await server.start() }
    }

    @Test func aTakenPortIsAnError() async throws {
        let handle = RecordingHandle(APIFixtures.state())
        try await withAPIServer(handle) { running, _ in
            let second = APIServer(handle: handle, configuration: APIConfiguration(listen: ListenAddress(host: "127.0.0.1", port: running.port)))
            await #expect(throws: (any Error).self) { _ = try await second.start() }
        }
    }

    @Test func tokenRotationTakesEffectWithoutRestart() async throws {
        let handle = RecordingHandle(APIFixtures.state())
        try await withAPIServer(handle) { server, secrets in
            #expect(try await TestHTTP.post(server.baseURL + "/api/v1/sync", token: SecretsFolder.token).status == 200)
            try Data("rotated-token\n".utf8).write(to: URL(fileURLWithPath: secrets.tokenFile))
            #expect(try await TestHTTP.post(server.baseURL + "/api/v1/sync", token: SecretsFolder.token).status == 401)
            #expect(try await TestHTTP.post(server.baseURL + "/api/v1/sync", token: "rotated-token").status == 200)
            // A token file that disappears refuses writes instead of opening them.
            try FileManager.default.removeItem(atPath: secrets.tokenFile)
            let gone = try await TestHTTP.post(server.baseURL + "/api/v1/sync", token: "rotated-token")
            #expect(gone.status == 500)
            #expect(try gone.decode(ErrorDocument.self).error == "the API token file cannot be read on the server (see its log)")
        }
    }
}

@Suite struct APIJSONTests {
    @Test func escapesAndKeepsOrder() throws {
        let value = APIJSON.object([
            ("z", .string("quote \" backslash \\ newline \n tab \t nul \u{0} del \u{7F} é")),
            ("a", .array([.int(-3), .rawNumber("0.25"), .bool(false), .null])),
            ("m", .object([])),
        ])
        let text = value.rendered()
        #expect(text == "{\"z\":\"quote \\\" backslash \\\\ newline \\n tab \\t nul \\u0000 del \\u007f é\",\"a\":[-3,0.25,false,null],\"m\":{}}\n")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed["z"] as? String == "quote \" backslash \\ newline \n tab \t nul \u{0} del \u{7F} é")
    }

    @Test func fieldNumbersStayNumbersOnlyWhenValid() {
        #expect(APIJSON.field(.number("0.5")) == .rawNumber("0.5"))
        #expect(APIJSON.field(.number("1.")) == .string("1."))
        #expect(APIJSON.field(.number("007")) == .string("007"))
        #expect(APIJSON.field(nil) == .null)
    }

    @Test func datesRoundTrip() throws {
        let date = Date(timeIntervalSince1970: 1_790_000_000.25)
        #expect(APIDate.format(date) == "2026-09-21T14:13:20.250Z")
        #expect(APIDate.parse("2026-09-21T14:13:20.250Z") == date)
        #expect(APIDate.parse("2026-09-21T14:13:20Z") == Date(timeIntervalSince1970: 1_790_000_000))
        #expect(APIDate.parse("yesterday") == nil)
    }
}
