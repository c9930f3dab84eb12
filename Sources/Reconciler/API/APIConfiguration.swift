import Foundation

/// Where the controller's HTTP API listens and where its secrets live.
public struct APIConfiguration: Sendable, Hashable {
    /// Loopback by default: read endpoints need no token.
    public static let defaultListen = ListenAddress(host: "127.0.0.1", port: 8088)

    public var listen: ListenAddress
    /// A file holding an admin bearer token for write endpoints (sync, overrides), named `token-file`
    /// in the audit log.
    public var tokenFile: String?
    /// The YAML file of named tokens (SHA-256 digests) scoped to owners or admin (`TokensFile`).
    /// Without it and without `tokenFile`, writes are refused.
    public var tokensFile: String?
    /// Reads (`/api/v1/...`, `/metrics`) need a valid token too; `/healthz` and `/readyz` stay open.
    public var protectReads: Bool
    /// A file holding the webhook's HMAC secret. Nil: `POST /hooks/git` is refused.
    public var webhookSecretFile: String?
    /// The largest request body accepted on API endpoints.
    public var maxBodyBytes: Int
    /// The largest webhook payload accepted (GitHub caps deliveries at 25 MB; pushes are far smaller).
    public var maxWebhookBytes: Int

    public init(listen: ListenAddress = Self.defaultListen, tokenFile: String? = nil, tokensFile: String? = nil,
                protectReads: Bool = false, webhookSecretFile: String? = nil,
                maxBodyBytes: Int = 64 * 1024, maxWebhookBytes: Int = 5 * 1024 * 1024) {
        self.listen = listen
        self.tokenFile = tokenFile
        self.tokensFile = tokensFile
        self.protectReads = protectReads
        self.webhookSecretFile = webhookSecretFile
        self.maxBodyBytes = maxBodyBytes
        self.maxWebhookBytes = maxWebhookBytes
    }

    /// Reads the configured secret files once, so a typo fails at start rather than at the first request.
    public func validate() throws {
        if let tokenFile { _ = try SecretFile.read(tokenFile, what: "API token") }
        if let tokensFile { _ = try TokensFile.load(tokensFile) }
        if protectReads, tokenFile == nil, tokensFile == nil {
            throw SecretFile.ReadError(description: "protecting reads needs a token file (--token-file or --tokens-file)")
        }
        if let webhookSecretFile { _ = try SecretFile.read(webhookSecretFile, what: "webhook secret") }
    }
}

/// `host:port`; `[v6]:port` for IPv6; port 0 picks a free port.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses `127.0.0.1:8088`, `[::1]:8088`, `0.0.0.0:80` or `:8088` (loopback).
    public init(parsing text: String) throws {
        func fail(_ why: String) -> ParseError {
            ParseError(description: "invalid listen address \"\(text)\": \(why) (use host:port, e.g. 127.0.0.1:8088)")
        }
        let host: Substring, portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw fail("missing ]") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw fail("missing :port") }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw fail("missing :port") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { throw fail("write IPv6 hosts in brackets") }
        }
        guard let port = Int(portText), (0...65_535).contains(port) else { throw fail("port must be 0-65535") }
        self.init(host: host.isEmpty ? "127.0.0.1" : String(host), port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A secret read from a file: surrounding whitespace (a trailing newline) dropped, empty refused.
enum SecretFile {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ path: String, what: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "cannot read the \(what) file \(path)")
        }
        var bytes = Array(data)[...]
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        while let first = bytes.first, isSpace(first) { bytes.removeFirst() }
        guard !bytes.isEmpty else { throw ReadError(description: "the \(what) file \(path) is empty") }
        return Array(bytes)
    }
}
