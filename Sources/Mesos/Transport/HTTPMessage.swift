import Foundation

/// An HTTP request as the transport sends it.
struct HTTPRequest: Sendable {
    var method: String
    var url: String
    var headers: [(name: String, value: String)] = []
    var body: Data?
    /// Connect timeout and total timeout; a nil total means none (the event stream).
    var connectTimeout: Duration
    var totalTimeout: Duration?
}

/// An HTTP response: status, headers (names lowercased) and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public subscript(header name: String) -> String? { headers[name.lowercased()] }

    /// The body as text, trimmed and shortened for error messages.
    var bodyText: String {
        let text = String(decoding: body.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text
    }
}
