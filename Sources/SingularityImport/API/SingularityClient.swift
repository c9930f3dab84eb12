import Foundation
import Mesos

/// Reads requests and their active deploys from Singularity's HTTP API over libcurl.
///
/// `GET {base}/api/requests` lists every request (without deploys; Singularity does not page it,
/// `limit` only truncates), then `GET {base}/api/requests/request/{id}` gives each request's
/// `activeDeploy`. With a token, every call sends `Authorization: <scheme> <token>` (Singularity's
/// token authenticator expects the scheme `Token`; a webhook authenticator passes the header on).
public struct SingularityClient: Sendable {
    public let base: String
    private let authorization: String?
    private let http: PlainHTTPClient
    private let concurrency: Int

    public init(url: String, token: String? = nil, scheme: String = "Token", concurrency: Int = 8) throws(ImportError) {
        guard let parsed = URL(string: url), let s = parsed.scheme?.lowercased(), s == "http" || s == "https",
              parsed.host != nil
        else { throw .badURL(url) }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/api") { base.removeLast(4) }
        self.base = base
        authorization = token.map { "\(scheme) \($0)" }
        http = PlainHTTPClient(connectTimeout: .seconds(5), timeout: .seconds(60), maxIdleHandles: max(1, concurrency))
        self.concurrency = max(1, concurrency)
    }

    /// Every request with its active deploy, in the order Singularity listed them.
    public func fetchAll() async throws(ImportError) -> [SingularityRequestParent] {
        let list: [SingularityRequestParent] = try await get("/api/requests")
        let ids = list.map(\.request.id)
        do {
            return try await withThrowingTaskGroup(of: (Int, SingularityRequestParent).self) { group in
                var results = [SingularityRequestParent?](repeating: nil, count: ids.count)
                var next = 0
                func start() {
                    let index = next, id = ids[index], listed = list[index]
                    next += 1
                    group.addTask {
                        do {
                            return (index, try await self.get("/api/requests/request/\(Self.segment(id))"))
                        } catch ImportError.httpStatus(url: _, status: 404, message: _) {
                            // Deleted between the list and now: report it as deleted.
                            var gone = listed
                            gone.state = "DELETED"
                            return (index, gone)
                        }
                    }
                }
                while next < min(concurrency, ids.count) { start() }
                while let (index, parent) = try await group.next() {
                    results[index] = parent
                    if next < ids.count { start() }
                }
                return results.map { $0! }
            }
        } catch let error as ImportError {
            throw error
        } catch {
            throw .unreachable(url: base, message: String(describing: error))
        }
    }

    func get<T: Decodable>(_ path: String) async throws(ImportError) -> T {
        let url = base + path
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let authorization { headers.append(("Authorization", authorization)) }
        let response: HTTPResponse
        do {
            response = try await http.get(url, headers: headers)
        } catch let error as MesosError {
            switch error {
            case .timedOut: throw .unreachable(url: url, message: "no answer within 60 s")
            case .transport(let message, _), .tls(let message, _): throw .unreachable(url: url, message: message)
            default: throw .unreachable(url: url, message: error.description)
            }
        } catch {
            throw .unreachable(url: url, message: String(describing: error))
        }
        let text = String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch response.status {
        case 200..<300: break
        case 401, 403: throw .unauthorized(url: url, status: response.status, message: text.isEmpty ? "no message" : text)
        default: throw .httpStatus(url: url, status: response.status, message: text.isEmpty ? "no message" : text)
        }
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch let error as DecodingError {
            throw .malformed(url: url, message: Self.describe(error))
        } catch {
            throw .malformed(url: url, message: String(describing: error))
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the document" : String(text.drop(while: { $0 == "." }))
        }
        switch error {
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "\(path(context)): required field \"\(key.stringValue)\" missing"
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(type), got null"
        @unknown default: return String(describing: error)
        }
    }

    /// A path segment, percent-encoded.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
