import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Reconciler

/// A small client of the controller's HTTP API (URLSession), with clear errors.
struct APIClient: Sendable {
    let base: URL
    let token: String?

    init(server: String, token: String?) throws {
        guard let base = URL(string: server), let scheme = base.scheme, ["http", "https"].contains(scheme.lowercased()),
              base.host != nil
        else {
            throw ValidationError("--server must be an http:// or https:// URL, got \(server)")
        }
        self.base = base
        self.token = token
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        configuration.timeoutIntervalForResource = 120
        return URLSession(configuration: configuration)
    }()

    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        try decode(type, from: await send("GET", path), path: path)
    }

    func post<T: Decodable>(_ path: String, body: APIJSON? = nil, as type: T.Type) async throws -> T {
        try decode(type, from: await send("POST", path, body: body), path: path)
    }

    func delete<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        try decode(type, from: await send("DELETE", path), path: path)
    }

    /// The body of a 2xx answer; otherwise the server's error message.
    func send(_ method: String, _ path: String, body: APIJSON? = nil) async throws -> Data {
        let url = URL(string: path, relativeTo: base)!.absoluteURL
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.rendered().utf8)
        }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await Self.session.data(for: request)
        } catch {
            throw Failure(description: "cannot reach the controller at \(base.absoluteString): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw Failure(description: "\(method) \(url.absoluteString): not an HTTP answer")
        }
        guard (200..<300).contains(http.statusCode) else {
            let message = (try? APIDocument.decode(ErrorDocument.self, from: data).error)
                ?? String(decoding: data.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "the controller answered \(http.statusCode) to \(method) \(url.path): \(message)")
        }
        return data
    }

    private func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws -> T {
        do {
            return try APIDocument.decode(type, from: data)
        } catch {
            throw Failure(description: "unexpected answer from \(path): \(error)")
        }
    }

    /// A path segment, percent-encoded.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

extension APIClient {
    /// Runs a client call; a failure prints its message and exits 1.
    static func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as Failure {
            throw fail(failure.description)
        }
    }
}

/// What the override endpoints answer.
struct OverrideAnswer: Decodable {
    var service: String
    var kind: String
    var value: Int?
    var reason: String
    var expiresAt: Date?
}

struct RemovedAnswer: Decodable {
    var service: String
    var removed: String
}

struct TriggerAnswer: Decodable {
    var service: String
    var run: String
}
