import Foundation

/// Plain HTTP GETs over the same libcurl transport as the Mesos client, for other HTTP APIs Converge
/// reads (the Singularity importer). Transfers run off the Swift concurrency pool and may run in
/// parallel; connections are reused.
public final class PlainHTTPClient: Sendable {
    private let transport: HTTPTransport
    private let connectTimeout: Duration
    private let timeout: Duration

    public init(security: TransportSecurity = TransportSecurity(), connectTimeout: Duration = .seconds(5),
                timeout: Duration = .seconds(30), maxIdleHandles: Int = 8) {
        transport = HTTPTransport(security: security, maxIdleHandles: maxIdleHandles)
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// The whole response, whatever its status. Throws `MesosError.transport`/`.timedOut`/`.tls` when
    /// no answer came.
    public func get(_ url: String, headers: [(name: String, value: String)] = []) async throws -> HTTPResponse {
        let request = HTTPRequest(
            method: "GET", url: url, headers: headers, body: nil, connectTimeout: connectTimeout, totalTimeout: timeout)
        return try await transport.perform(request)
    }
}
