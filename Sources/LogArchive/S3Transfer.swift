import CCurl
import Foundation

/// One S3 request through libcurl, signed by libcurl itself (`CURLOPT_AWS_SIGV4`, curl >= 7.75) with the
/// payload's SHA-256 in `x-amz-content-sha256` and the session token, if any, in `x-amz-security-token`.
/// Blocking: callers run it off the Swift concurrency pool.
struct S3Request {
    var method: String
    var url: String
    var headers: [(String, String)] = []
    var body: [UInt8]?
    var operation: String
}

struct S3Response {
    var status: Int
    /// Lowercased names.
    var headers: [String: String]
    var body: [UInt8]
}

enum S3Transfer {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    static func perform(_ request: S3Request, configuration: S3Configuration) throws(S3Error) -> S3Response {
        _ = initialized
        guard let handle = curl_easy_init() else { throw .transport("curl_easy_init failed", operation: request.operation) }
        defer { curl_easy_cleanup(handle) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer[0] = 0
        defer { errorBuffer.deallocate() }
        var list: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(list) }

        _ = converge_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        // Request and response headers on stderr (the signature, never the secret).
        if ProcessInfo.processInfo.environment["CONVERGE_S3_TRACE"] != nil { _ = converge_curl_setopt_long(handle, CURLOPT_VERBOSE, 1) }
        _ = converge_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000))
        _ = converge_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(configuration.requestTimeout * 1000))
        _ = converge_curl_setopt_string(handle, CURLOPT_URL, request.url)
        _ = converge_curl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        let credentials = configuration.credentials
        _ = converge_curl_setopt_string(handle, CURLOPT_AWS_SIGV4, "aws:amz:\(configuration.region):s3")
        _ = converge_curl_setopt_string(handle, CURLOPT_USERNAME, credentials.accessKeyID)
        _ = converge_curl_setopt_string(handle, CURLOPT_PASSWORD, credentials.secretAccessKey)

        let body = request.body ?? []
        var headers = request.headers
        headers.append(("x-amz-content-sha256", SHA256Hex.of(body)))
        if let token = credentials.sessionToken { headers.append(("x-amz-security-token", token)) }
        switch request.method {
        case "GET":
            _ = converge_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD":
            _ = converge_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
        default:
            _ = converge_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
            if request.body != nil || request.method == "POST" {
                _ = converge_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                let bytes = body.isEmpty ? [0] : body
                bytes.withUnsafeBytes { _ = converge_curl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
                if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                    headers.append(("Content-Type", "application/octet-stream"))
                }
            }
        }
        // No "Expect:" removal line: curl 7.88 would sign the empty header.
        for (name, value) in headers { list = curl_slist_append(list, "\(name): \(value)") }
        _ = converge_curl_setopt_ptr(handle, CURLOPT_HTTPHEADER, list)

        let sink = ResponseSink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        _ = converge_curl_setopt_write(handle, s3WriteCallback)
        _ = converge_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque())
        _ = converge_curl_setopt_header(handle, s3HeaderCallback)
        _ = converge_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, unmanaged.toOpaque())

        let code = curl_easy_perform(handle)
        switch code {
        case CURLE_OK:
            return S3Response(status: sink.status, headers: sink.headers, body: sink.body)
        case CURLE_OPERATION_TIMEDOUT:
            throw .timedOut(operation: request.operation)
        default:
            let detail = String(cString: errorBuffer)
            throw .transport(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail, operation: request.operation)
        }
    }
}

/// Collects one response; touched only by the transfer's thread.
private final class ResponseSink {
    var status = 0
    var headers: [String: String] = [:]
    var body: [UInt8] = []

    func header(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = [:]
        } else if let colon = trimmed.firstIndex(of: ":") {
            headers[trimmed[..<colon].lowercased()] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }
}

private func s3WriteCallback(_ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    sink.body.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: size * count))
    return size * count
}

private func s3HeaderCallback(_ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    sink.header(String(decoding: UnsafeRawBufferPointer(start: pointer, count: size * count), as: UTF8.self))
    return size * count
}
