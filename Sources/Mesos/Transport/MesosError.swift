/// Why a Mesos request failed. Messages carry the master's own text; never a secret.
public enum MesosError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400: the master rejected the request; `message` is its explanation.
    case badRequest(message: String, url: String)
    /// 401: authentication failed.
    case unauthorized(message: String, url: String)
    /// 403: not allowed, or the framework is not subscribed.
    case forbidden(message: String, url: String)
    /// 404.
    case notFound(message: String, url: String)
    /// 406: the master cannot answer in the accepted media type.
    case notAcceptable(message: String, url: String)
    /// 415: the master does not accept the content type.
    case unsupportedMediaType(message: String, url: String)
    /// 501: the master does not know this call.
    case notImplemented(message: String, url: String)
    /// 503 (no leader, or the master is recovering) until the retry deadline passed.
    case unavailable(message: String, url: String)
    /// Any other unexpected status.
    case unexpectedStatus(status: Int, message: String, url: String)
    /// Too many redirects, or a redirect without a usable Location.
    case redirectFailed(message: String, url: String)
    /// The request did not finish in time.
    case timedOut(url: String)
    /// Connection, TLS or protocol failure (libcurl's message).
    case transport(message: String, url: String)
    /// TLS failed (certificate not trusted, bad CA file, handshake); not retried.
    case tls(message: String, url: String)
    /// The master's answer could not be decoded.
    case decoding(message: String, url: String)
    /// A call was made while no subscription is active.
    case notSubscribed
    /// The master removed the framework (failover timeout passed or torn down); final.
    case frameworkRemoved(message: String)
    /// The client was closed.
    case closed

    /// The HTTP status this error stands for, if any.
    public var status: Int? {
        switch self {
        case .badRequest: return 400
        case .unauthorized: return 401
        case .forbidden: return 403
        case .notFound: return 404
        case .notAcceptable: return 406
        case .unsupportedMediaType: return 415
        case .notImplemented: return 501
        case .unavailable: return 503
        case .unexpectedStatus(let status, _, _): return status
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .badRequest(let m, let u): return "Mesos rejected the request to \(u) (400 Bad Request): \(m)"
        case .unauthorized(let m, let u): return "Mesos authentication failed at \(u) (401 Unauthorized): \(m)"
        case .forbidden(let m, let u): return "Mesos refused the request to \(u) (403 Forbidden): \(m)"
        case .notFound(let m, let u): return "Not found: \(u) (404): \(m)"
        case .notAcceptable(let m, let u): return "Mesos cannot answer in JSON at \(u) (406 Not Acceptable): \(m)"
        case .unsupportedMediaType(let m, let u):
            return "Mesos does not accept the content type at \(u) (415 Unsupported Media Type): \(m)"
        case .notImplemented(let m, let u): return "Mesos does not implement this call at \(u) (501): \(m)"
        case .unavailable(let m, let u): return "Mesos unavailable at \(u) (503 Service Unavailable): \(m)"
        case .unexpectedStatus(let s, let m, let u): return "Unexpected HTTP \(s) from \(u): \(m)"
        case .redirectFailed(let m, let u): return "Redirect failed from \(u): \(m)"
        case .timedOut(let u): return "Request to \(u) timed out"
        case .transport(let m, let u): return "Cannot reach \(u): \(m)"
        case .tls(let m, let u): return "TLS with \(u) failed: \(m)"
        case .decoding(let m, let u): return "Cannot decode the answer from \(u): \(m)"
        case .notSubscribed: return "Not subscribed to the Mesos master"
        case .frameworkRemoved(let m): return "The Mesos master removed the framework: \(m)"
        case .closed: return "The Mesos client is closed"
        }
    }

    /// The error for a non-success HTTP response.
    static func from(_ response: HTTPResponse, url: String) -> MesosError {
        let message = response.bodyText.isEmpty ? "(no message)" : response.bodyText
        switch response.status {
        case 400: return .badRequest(message: message, url: url)
        case 401: return .unauthorized(message: message, url: url)
        case 403: return .forbidden(message: message, url: url)
        case 404: return .notFound(message: message, url: url)
        case 406: return .notAcceptable(message: message, url: url)
        case 415: return .unsupportedMediaType(message: message, url: url)
        case 501: return .notImplemented(message: message, url: url)
        case 503: return .unavailable(message: message, url: url)
        default: return .unexpectedStatus(status: response.status, message: message, url: url)
        }
    }
}
