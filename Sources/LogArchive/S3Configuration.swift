import Foundation

/// How to reach one bucket: its region, an optional custom endpoint (path-style URLs, e.g. moto or MinIO),
/// the credentials, and the transfer limits.
public struct S3Configuration: Sendable {
    public var bucket: String
    public var region: String
    /// `http://127.0.0.1:5000`: path-style `ENDPOINT/BUCKET/KEY`. Nil: AWS, `https://BUCKET.s3.REGION.amazonaws.com/KEY`.
    public var endpoint: String?
    public var credentials: S3Credentials
    /// Files larger than this go up in parts.
    public var multipartThreshold: Int64 = 16 * 1024 * 1024
    public var partSize: Int64 = 8 * 1024 * 1024
    public var connectTimeout: Double = 5
    /// Total time of one request (a part of up to `partSize` included).
    public var requestTimeout: Double = 120

    public init(bucket: String, region: String, endpoint: String? = nil, credentials: S3Credentials) {
        self.bucket = bucket
        self.region = region
        self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.credentials = credentials
    }

    /// The region: the given one, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else us-east-1.
    public static func region(_ given: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        given ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
    }

    /// The URL of a key (or of the bucket when `key` is empty), with an already encoded query.
    func url(key: String, query: String = "") -> String {
        let base: String
        if let endpoint {
            base = "\(endpoint)/\(bucket)" + (key.isEmpty ? "" : "/" + S3Encoding.path(key))
        } else {
            base = "https://\(bucket).s3.\(region).amazonaws.com/" + S3Encoding.path(key)
        }
        return query.isEmpty ? base : base + "?" + query
    }

    /// `s3://bucket/key`, for messages.
    func display(_ key: String) -> String { "s3://\(bucket)/\(key)" }
}

/// AWS's URI encoding: unreserved characters stay, every other byte is `%XX` (uppercase).
enum S3Encoding {
    static func component(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        for byte in text.utf8 {
            if keepSlash, byte == UInt8(ascii: "/") { out.append("/"); continue }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func path(_ key: String) -> String {
        key.split(separator: "/", omittingEmptySubsequences: false).map { component(String($0)) }.joined(separator: "/")
    }

    /// A query sorted by name, names and values encoded, `name=` for empty values. `/` stays raw in values:
    /// libcurl 7.88 signs the query as written, and moto checked `prefix=a/b` but refused `prefix=a%2Fb`.
    static func query(_ items: [(String, String)]) -> String {
        items.sorted { $0.0 < $1.0 }.map { "\(component($0.0))=\(component($0.1, keepSlash: true))" }.joined(separator: "&")
    }
}
