import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the client's address (for the audit log).
struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// `127.0.0.1:51234`, `[::1]:51234`; `unknown` when the channel has none.
    var clientAddress: String {
        guard let address = remoteAddress, let ip = address.ipAddress else { return "unknown" }
        let port = address.port.map { ":\($0)" } ?? ""
        return ip.contains(":") ? "[\(ip)]\(port)" : "\(ip)\(port)"
    }
}
