import Crypto

/// GitHub-style webhook signatures: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.
public enum WebhookSignature {
    /// The header value for a body signed with a secret.
    public static func header(body: some Sequence<UInt8>, secret: some Sequence<UInt8>) -> String {
        let key = SymmetricKey(data: Array(secret))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body), using: key)
        return "sha256=" + Hex.encode(Array(mac))
    }

    /// True when `header` is `sha256=` followed by the hex HMAC of the body; compared in constant time.
    public static func isValid(header: String?, body: some Sequence<UInt8>, secret: some Sequence<UInt8>) -> Bool {
        guard let header, header.hasPrefix("sha256=") else { return false }
        let hex = Array(header.utf8.dropFirst(7))
        guard hex.count == 64, let given = Hex.decode(String(decoding: hex, as: UTF8.self)) else { return false }
        let key = SymmetricKey(data: Array(secret))
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Array(body), using: key)
    }
}
