import Foundation
import Testing
@testable import Mesos

/// A real TLS server (Python's http.server with a fresh self-signed certificate) on loopback.
final class TLSTestServer {
    let directory: URL
    let process = Process()
    let port: Int
    var caFile: String { directory.appendingPathComponent("cert.pem").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesos-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                             "-keyout", directory.appendingPathComponent("key.pem").path,
                             "-out", directory.appendingPathComponent("cert.pem").path,
                             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw POSIXError(.EIO) }

        let script = """
        import http.server, ssl, json, sys
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = json.dumps({"version": "1.11.0", "git_sha": self.headers.get("Authorization", "")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(("127.0.0.1", 0), H)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, directory.appendingPathComponent("cert.pem").path,
                             directory.appendingPathComponent("key.pem").path]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is the port; reading blocks until the server is listening.
        var line = Data()
        while let byte = try pipe.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw POSIXError(.EIO)
        }
        self.port = port
    }

    func stop() {
        // SIGKILL: a child started from a test thread may inherit a mask that blocks SIGTERM.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite("TLS and authentication over a real TLS server")
struct TLSTests {
    @Test func verifiesWithTheCAFileAndSendsBasicAuth() async throws {
        let server = try TLSTestServer()
        defer { server.stop() }
        let master = "https://127.0.0.1:\(server.port)"
        let credentials = Credentials(principal: "converge", secret: "pa55")

        var trusted = try testConfiguration([master], credentials: credentials)
        trusted.security.caFile = server.caFile
        let version = try await OperatorClient(configuration: trusted).version()
        #expect(version.version == "1.11.0")
        #expect(version.gitSHA == "Basic " + Data("converge:pa55".utf8).base64EncodedString())

        let untrusted = try testConfiguration([master])
        await #expect {
            try await OperatorClient(configuration: untrusted).version()
        } throws: { error in
            guard case .tls(let message, _) = error as? MesosError else { return false }
            return !message.contains("pa55")
        }

        var insecure = try testConfiguration([master])
        insecure.security.verifyPeer = false
        #expect(try await OperatorClient(configuration: insecure).version().version == "1.11.0")
    }
}

@Suite("Several masters")
struct MultiMasterTests {
    @Test func anUnreachableMasterIsSkipped() async throws {
        let live = try SchedulerClientTests.streamingMaster(events: [.subscribed("F-3")])
        defer { live.stop() }
        let client = SchedulerClient(configuration: try testConfiguration(["http://127.0.0.1:9", live.baseURL]))
        let collector = EventCollector(client.subscribe(framework: FrameworkInfo(user: "u", name: "n")))
        #expect(await eventually { collector.events.count == 1 })
        #expect(client.connectionState == .subscribed("F-3", MasterEndpoint(live.baseURL)!))
        await client.close()
    }
}
