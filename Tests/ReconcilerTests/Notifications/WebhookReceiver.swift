import Foundation
import Reconciler
import Testing

/// A real HTTP receiver for notifications: python3's http.server on a free loopback port, in a process
/// of its own (stopped by pid). Each delivered request is appended to a log as a JSON line.
/// Modes: `ok` answers 200; `flaky` answers 503 to every other request (retries must follow);
/// `hang` never answers.
final class WebhookReceiver: @unchecked Sendable {
    // @unchecked: the fields are set once in `init` and only read afterwards.
    struct Delivery: Decodable {
        var signature: String?
        var event: String?
        var body: String

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    let process: Process
    let folder: URL
    let port: Int
    var url: String { "http://127.0.0.1:\(port)/hook" }

    static let script = """
        import http.server, json, os, sys, threading, time
        port_file, log_file, mode = sys.argv[1:4]
        lock = threading.Lock()
        seen = [0]
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with lock:
                    seen[0] += 1
                    n = seen[0]
                if mode == "hang":
                    time.sleep(3600)
                if mode == "flaky" and n % 2 == 1:
                    self.send_response(503); self.send_header("Content-Length", "0"); self.end_headers(); return
                with lock:
                    with open(log_file, "a") as f:
                        f.write(json.dumps({"signature": self.headers.get("X-Converge-Signature-256"),
                                            "event": self.headers.get("X-Converge-Event"),
                                            "body": body.decode()}) + "\\n")
                self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        with open(port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(port_file + ".tmp", port_file)
        server.serve_forever()
        """

    init(mode: String = "ok") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let portFile = folder.appendingPathComponent("port").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, portFile, folder.appendingPathComponent("log").path, mode]
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        var port: Int?
        while Date() < deadline, port == nil, process.isRunning {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let port else {
            process.terminate()
            throw ReceiverError(description: "the receiver did not start")
        }
        self.port = port
    }

    struct ReceiverError: Error, CustomStringConvertible { var description: String }

    var deliveries: [Delivery] {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("log"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Delivery.self, from: Data($0.utf8)) }
    }

    func events(service: String? = nil) -> [String] {
        deliveries.map(\.json).filter { service == nil || $0["service"] as? String == service }.compactMap { $0["event"] as? String }
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// A loopback port nothing listens on (bound, then closed).
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
