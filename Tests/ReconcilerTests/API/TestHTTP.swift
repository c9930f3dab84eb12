import Foundation
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import Reconciler

/// A real HTTP exchange over loopback (URLSession), for the API tests.
struct HTTPResult: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    func json() throws -> Any { try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try APIDocument.decode(type, from: body) }
}

enum TestHTTP {
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        configuration.timeoutIntervalForResource = 120
        return URLSession(configuration: configuration)
    }()

    static func send(_ method: String, _ url: String, headers: [String: String] = [:], body: Data? = nil) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields["\(key)"] = "\(value)" }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }

    static func get(_ url: String) async throws -> HTTPResult { try await send("GET", url) }

    static func post(_ url: String, token: String? = nil, json: String? = nil, headers: [String: String] = [:]) async throws -> HTTPResult {
        var all = headers
        if let token { all["Authorization"] = "Bearer \(token)" }
        if json != nil { all["Content-Type"] = "application/json" }
        return try await send("POST", url, headers: all, body: json.map { Data($0.utf8) })
    }
}

/// A temp folder with the token and webhook secret files, removed at the end.
final class SecretsFolder {
    let root: URL
    static let token = "s3cr3t-token-0123456789"
    static let webhookSecret = "It's a Secret to Everybody"

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data((Self.token + "\n").utf8).write(to: root.appendingPathComponent("token"))
        try Data(Self.webhookSecret.utf8).write(to: root.appendingPathComponent("webhook"))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var tokenFile: String { root.appendingPathComponent("token").path }
    var webhookFile: String { root.appendingPathComponent("webhook").path }
}

/// Runs the real API server on a free loopback port around `body`.
func withAPIServer(
    _ handle: RecordingHandle, tokens: Bool = true, metrics: ControllerMetrics = ControllerMetrics(),
    maxBodyBytes: Int = 64 * 1024, maxWebhookBytes: Int = 5 * 1024 * 1024,
    _ body: (RunningAPIServer, SecretsFolder) async throws -> Void
) async throws {
    let secrets = try SecretsFolder()
    let configuration = APIConfiguration(
        listen: ListenAddress(host: "127.0.0.1", port: 0), tokenFile: tokens ? secrets.tokenFile : nil,
        webhookSecretFile: tokens ? secrets.webhookFile : nil, maxBodyBytes: maxBodyBytes,
        maxWebhookBytes: maxWebhookBytes)
    var logger = Logger(label: "api-test")
    logger.logLevel = .error
    let server = APIServer(handle: handle, configuration: configuration, metrics: metrics, logger: logger,
                           now: { APIFixtures.epoch.addingTimeInterval(10) })
    let running = try await server.start()
    do {
        try await body(running, secrets)
    } catch {
        await running.stop()
        throw error
    }
    await running.stop()
}

/// Polls `condition` until it holds or the deadline passes.
func eventually(timeout: TimeInterval = 30, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
