import Foundation

/// HTTP POSTs over the same libcurl transport as the Mesos client (deploy notifications to webhooks).
/// Transfers run off the Swift concurrency pool, each bounded by `timeout`; connections are reused.
public final class HTTPPoster: Sendable {
    private let transport: HTTPTransport
    private let connectTimeout: Duration
    private let timeout: Duration

    public init(security: TransportSecurity = TransportSecurity(), connectTimeout: Duration = .seconds(2),
                timeout: Duration = .seconds(5), maxIdleHandles: Int = 4) {
        transport = HTTPTransport(security: security, maxIdleHandles: maxIdleHandles)
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// The whole response, whatever its status. Throws `MesosError.transport`/`.timedOut`/`.tls` when no
    /// answer came in time.
    public func post(_ url: String, headers: [(name: String, value: String)], body: Data) async throws -> HTTPResponse {
        try await transport.perform(HTTPRequest(method: "POST", url: url, headers: headers, body: body,
                                                connectTimeout: connectTimeout, totalTimeout: timeout))
    }
}
