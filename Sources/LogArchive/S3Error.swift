import Foundation
/// Why an S3 request failed. Never carries a secret.
public enum S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// Connection failure (libcurl's message): worth retrying.
    case transport(String, operation: String)
    case timedOut(operation: String)
    /// S3 answered with an error: status, S3's code (`NoSuchKey`, `InvalidAccessKeyId`, ...) and message.
    case refused(status: Int, code: String, message: String, operation: String)
    /// The object did not match what was uploaded (size or ETag).
    case notConfirmed(String, operation: String)
    /// A local file could not be read.
    case localFile(String)
    case malformed(String, operation: String)

    public var description: String {
        switch self {
        case .transport(let message, let operation): return "S3 \(operation): cannot connect: \(message)"
        case .timedOut(let operation): return "S3 \(operation): timed out"
        case .refused(let status, let code, let message, let operation):
            let hint = ["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "ExpiredToken", "InvalidToken"].contains(code)
                ? " (check the AWS credentials and region)" : ""
            return "S3 \(operation): \(status) \(code): \(message)\(hint)"
        case .notConfirmed(let message, let operation): return "S3 \(operation): not confirmed: \(message)"
        case .localFile(let message): return message
        case .malformed(let message, let operation): return "S3 \(operation): unexpected answer: \(message)"
        }
    }

    /// Transport failures, timeouts, 5xx, 408 and 429 may pass; other refusals (credentials, missing bucket) will not.
    public var isRetryable: Bool {
        switch self {
        case .transport, .timedOut, .notConfirmed: return true
        case .refused(let status, let code, _, _): return status >= 500 || status == 408 || status == 429 || code == "SlowDown"
        case .localFile, .malformed: return false
        }
    }

    /// The object or bucket does not exist.
    public var isNotFound: Bool {
        if case .refused(404, _, _, _) = self { return true }
        return false
    }
}
