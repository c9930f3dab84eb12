import Crypto

/// GitHub-style webhook signatures: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.
public enum WebhookSignature {
    /// The header value for a body signed with a secret.
    public static func header(body: some Sequence<UInt8>, secret: some Sequence<UInt8>) -> String {
        let key = SymmetricKey(data: Array(secret))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body), using: key)
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in mac { hex.append(digits[Int(byte >> 4)]); hex.append(digits[Int(byte & 0x0F)]) }
        return "sha256=" + String(decoding: hex, as: UTF8.self)
    }

    /// True when `header` is `sha256=` followed by the hex HMAC of the body; compared in constant time.
    public static func isValid(header: String?, body: some Sequence<UInt8>, secret: some Sequence<UInt8>) -> Bool {
        guard let header, header.hasPrefix("sha256=") else { return false }
        let hex = Array(header.utf8.dropFirst(7))
        guard hex.count == 64, let given = decodeHex(hex) else { return false }
        let key = SymmetricKey(data: Array(secret))
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Array(body), using: key)
    }

    private static func decodeHex(_ hex: [UInt8]) -> [UInt8]? {
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(hex.count / 2)
        var index = 0
        while index < hex.count {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
