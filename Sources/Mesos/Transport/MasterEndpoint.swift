import Foundation

/// A master's base URL (`http://host:port`), and how a protocol-relative `Location` resolves against it.
public struct MasterEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// `host:port` (IPv6 hosts in brackets).
    public var authority: String

    /// Parses `http://host:port`, `https://host:port/` or a bare `host:port` (http).
    public init?(_ string: String) {
        var rest = Substring(string.trimmingCharacters(in: .whitespaces))
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
        } else if rest.hasPrefix("//") {
            scheme = "http"
            rest = rest.dropFirst(2)
        } else {
            scheme = "http"
        }
        guard scheme == "http" || scheme == "https" else { return nil }
        let authority = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard !authority.isEmpty, !authority.contains(" ") else { return nil }
        self.authority = String(authority)
    }

    public init(scheme: String, authority: String) {
        self.scheme = scheme
        self.authority = authority
    }

    public var description: String { "\(scheme)://\(authority)" }

    public func url(_ path: String) -> String { "\(scheme)://\(authority)\(path)" }

    /// The endpoint a redirect's `Location` points to. Mesos sends `//host:port/path` (keep our scheme);
    /// absolute URLs are honoured too.
    public func resolvingRedirect(_ location: String) -> MasterEndpoint? {
        let trimmed = location.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("//") {
            guard var endpoint = MasterEndpoint(String(trimmed)) else { return nil }
            endpoint.scheme = scheme
            return endpoint
        }
        if trimmed.contains("://") { return MasterEndpoint(trimmed) }
        if trimmed.hasPrefix("/") { return self }
        return nil
    }
}
