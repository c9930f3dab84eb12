import CCurl
import Foundation

/// libcurl's global state, initialised once before the first handle.
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

/// TLS and authentication settings applied to every request.
public struct TransportSecurity: Sendable, Hashable {
    /// HTTP basic credentials (principal, secret). The secret is never logged.
    public var credentials: Credentials?
    /// A PEM bundle of CA certificates to verify the master with.
    public var caFile: String?
    /// Verify the peer's certificate and host name (turn off only for development).
    public var verifyPeer: Bool

    public init(credentials: Credentials? = nil, caFile: String? = nil, verifyPeer: Bool = true) {
        self.credentials = credentials
        self.caFile = caFile
        self.verifyPeer = verifyPeer
    }
}

/// A principal and its secret for HTTP basic authentication.
public struct Credentials: Sendable, Hashable, CustomStringConvertible {
    public var principal: String
    public var secret: String
    public init(principal: String, secret: String) {
        self.principal = principal
        self.secret = secret
    }
    /// Shows the principal only.
    public var description: String { "\(principal):<secret>" }
}

/// What a transfer does with what it receives; callbacks run on the transfer's thread.
final class TransferContext {
    var status = 0
    var headers: [String: String] = [:]
    var body = Data()
    /// Cap on a buffered body (a non-streaming response).
    var maxBodySize = 16 << 20
    /// When set, 2xx body bytes go here instead of `body`; return false to abort the transfer.
    var onBody: ((UnsafeRawBufferPointer) -> Bool)?
    /// Polled about once a second and on every chunk; return true to abort.
    var shouldAbort: (() -> Bool)?
    /// Called once the response headers are complete.
    var onHeaders: ((Int, [String: String]) -> Void)?
    private var headersDelivered = false

    func receiveHeaderLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            // A new response (after 100 Continue or a redirect): start over.
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = [:]
            headersDelivered = false
        } else if trimmed.isEmpty {
            if status >= 200, !headersDelivered {
                headersDelivered = true
                onHeaders?(status, headers)
            }
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = trimmed[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = value
        }
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if shouldAbort?() == true { return false }
        if (200..<300).contains(status), let onBody { return onBody(bytes) }
        guard body.count + bytes.count <= maxBodySize else { return false }
        body.append(contentsOf: bytes)
        return true
    }
}

/// One libcurl easy handle. Not thread-safe: one transfer at a time, on one thread.
///
/// Handles are reused (the pool keeps them) so connections to the master stay open.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init() {
        _ = CurlGlobal.initialized
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed (out of memory)") }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// The outcome of one transfer.
    enum Outcome {
        case completed
        case aborted
        case timedOut
        case failed(String)
        /// Certificate or TLS setup failure: not worth retrying.
        case tlsFailed(String)
    }

    /// Runs the request to completion on the calling thread.
    func perform(_ request: HTTPRequest, security: TransportSecurity, context: TransferContext) -> Outcome {
        curl_easy_reset(handle)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        setLong(CURLOPT_NOSIGNAL, 1)
        setLong(CURLOPT_TCP_KEEPALIVE, 1)
        setLong(CURLOPT_TCP_NODELAY, 1)
        setLong(CURLOPT_FOLLOWLOCATION, 0)
        setLong(CURLOPT_CONNECTTIMEOUT_MS, max(1, request.connectTimeout.milliseconds))
        setLong(CURLOPT_TIMEOUT_MS, request.totalTimeout.map { max(1, $0.milliseconds) } ?? 0)
        _ = converge_curl_setopt_string(handle, CURLOPT_URL, request.url)
        errorBuffer[0] = 0
        _ = converge_curl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer)

        switch request.method {
        case "GET":
            setLong(CURLOPT_HTTPGET, 1)
        case "POST":
            setLong(CURLOPT_POST, 1)
            let body = request.body ?? Data()
            _ = converge_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies the bytes; an empty body still needs a valid pointer.
                let empty: [UInt8] = [0]
                if bytes.count == 0 {
                    empty.withUnsafeBytes { _ = converge_curl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
                } else {
                    _ = converge_curl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress)
                }
            }
        default:
            _ = converge_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        }

        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        headerList = curl_slist_append(headerList, "Expect:")  // No 100-continue round trip.
        _ = converge_curl_setopt_ptr(handle, CURLOPT_HTTPHEADER, headerList)

        if let credentials = security.credentials {
            setLong(CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC
            _ = converge_curl_setopt_string(handle, CURLOPT_USERNAME, credentials.principal)
            _ = converge_curl_setopt_string(handle, CURLOPT_PASSWORD, credentials.secret)
        }
        if let caFile = security.caFile {
            _ = converge_curl_setopt_string(handle, CURLOPT_CAINFO, caFile)
        }
        setLong(CURLOPT_SSL_VERIFYPEER, security.verifyPeer ? 1 : 0)
        setLong(CURLOPT_SSL_VERIFYHOST, security.verifyPeer ? 2 : 0)

        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        let pointer = unmanaged.toOpaque()
        _ = converge_curl_setopt_write(handle, curlWriteCallback)
        _ = converge_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, pointer)
        _ = converge_curl_setopt_header(handle, curlHeaderCallback)
        _ = converge_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, pointer)
        setLong(CURLOPT_NOPROGRESS, 0)
        _ = converge_curl_setopt_xferinfo(handle, curlProgressCallback)
        _ = converge_curl_setopt_ptr(handle, CURLOPT_XFERINFODATA, pointer)

        let code = curl_easy_perform(handle)
        switch code {
        case CURLE_OK: return .completed
        case CURLE_ABORTED_BY_CALLBACK, CURLE_WRITE_ERROR: return .aborted
        case CURLE_OPERATION_TIMEDOUT: return .timedOut
        default:
            let detail = String(cString: errorBuffer)
            let generic = String(cString: curl_easy_strerror(code))
            let message = detail.isEmpty ? generic : "\(generic): \(detail)"
            // SSL engine, certificate, CA file, pinned key and TLS connect failures.
            let tlsCodes: Set<UInt32> = [35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91]
            return tlsCodes.contains(code.rawValue) ? .tlsFailed(message) : .failed(message)
        }
    }

    private func setLong(_ option: CURLoption, _ value: Int) {
        _ = converge_curl_setopt_long(handle, option, value)
    }
}

private func curlWriteCallback(
    _ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let userdata else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    let total = size * count
    let bytes = UnsafeRawBufferPointer(start: pointer, count: total)
    return context.receiveBody(bytes) ? total : 0
}

private func curlHeaderCallback(
    _ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let userdata else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    let total = size * count
    let bytes = UnsafeRawBufferPointer(start: pointer, count: total)
    context.receiveHeaderLine(String(decoding: bytes, as: UTF8.self))
    return total
}

private func curlProgressCallback(
    _ userdata: UnsafeMutableRawPointer?, _ dltotal: curl_off_t, _ dlnow: curl_off_t, _ ultotal: curl_off_t,
    _ ulnow: curl_off_t
) -> Int32 {
    guard let userdata else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    return context.shouldAbort?() == true ? 1 : 0
}
