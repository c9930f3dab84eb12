import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a raw socket, so tests control every header byte.
struct RawResponse: Sendable {
    var status: Int
    var headers: [String: String]   // lower-cased names
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw RawHTTPError("not a JSON object: \(text)")
        }
        return object
    }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One TCP connection with a receive deadline on every read.
final class RawConnection: @unchecked Sendable {
    // Used by one thread at a time (the test, or the reader thread of a stream).
    let fd: Int32
    private var pending = Data()

    init(host: String, port: Int, timeout: Double = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw RawHTTPError("connect to \(host):\(port) failed: \(String(cString: strerror(errno)))")
        }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func shutdownBoth() { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    func send(_ data: Data) throws {
        var offset = 0
        while offset < data.count {
            let sent = data.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw RawHTTPError("send failed") }
            offset += sent
        }
    }

    /// More bytes; nil at end of stream.
    func receive() throws -> Data? {
        if !pending.isEmpty {
            defer { pending = Data() }
            return pending
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &buffer, buffer.count, 0)
        if count == 0 { return nil }
        if count < 0 { throw RawHTTPError("receive failed or timed out: \(String(cString: strerror(errno)))") }
        return Data(buffer[0..<count])
    }

    func unread(_ data: Data) {
        var joined = Data(data)
        joined.append(pending)
        pending = joined
    }

    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: Data? = nil) throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try send(Data(head.utf8) + (body ?? Data()))
    }

    /// Status line and headers; the rest stays buffered.
    func readHead() throws -> (Int, [String: String]) {
        var data = Data()
        while true {
            if let range = data.range(of: Data("\r\n\r\n".utf8)) {
                unread(Data(data[range.upperBound...]))
                let lines = String(decoding: data[..<range.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
                let statusParts = lines[0].split(separator: " ")
                let status = statusParts.count > 1 ? Int(statusParts[1]) ?? 0 : 0
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                return (status, headers)
            }
            guard let more = try receive() else { throw RawHTTPError("connection closed before headers") }
            data += more
        }
    }
}

/// Decodes a chunked transfer-encoded body incrementally.
struct ChunkedDecoder {
    private var buffer = Data()
    private(set) var finished = false

    mutating func feed(_ data: Data) -> Data {
        buffer += data
        var output = Data()
        while !finished {
            guard let lineEnd = buffer.range(of: Data("\r\n".utf8)) else { break }
            let sizeText = String(decoding: buffer[buffer.startIndex..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";")[0], radix: 16) else { finished = true; break }
            if size == 0 { finished = true; break }
            let start = lineEnd.upperBound
            guard buffer.count - (start - buffer.startIndex) >= size + 2 else { break }
            output += buffer[start..<(start + size)]
            buffer = Data(buffer[(start + size + 2)...])
        }
        return output
    }
}

/// Runs blocking socket work on its own thread, off the cooperative pool the cluster needs.
struct Unchecked<T>: @unchecked Sendable { var value: T }
func offload<T>(_ work: @escaping () throws -> T) async throws -> T {
    let job = Unchecked(value: work)
    let result: Unchecked<Result<T, any Error>> = await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: Unchecked(value: Result { try job.value() })) }
    }
    return try result.value.get()
}

enum RawHTTP {
    static func send(port: Int, host: String = "127.0.0.1", _ method: String, _ path: String,
                     headers: [(String, String)] = [], body: Data? = nil) async throws -> RawResponse {
        try await offload { try sendBlocking(port: port, host: host, method, path, headers: headers, body: body) }
    }

    static func sendBlocking(port: Int, host: String = "127.0.0.1", _ method: String, _ path: String,
                     headers: [(String, String)] = [], body: Data? = nil) throws -> RawResponse {
        let connection = try RawConnection(host: host, port: port)
        try connection.request(method, path, headers: headers + [("Connection", "close")], body: body)
        let (status, responseHeaders) = try connection.readHead()
        var raw = Data()
        while let more = try connection.receive() {
            raw += more
            if let length = responseHeaders["content-length"].flatMap(Int.init), raw.count >= length { break }
        }
        if responseHeaders["transfer-encoding"]?.lowercased() == "chunked" {
            var decoder = ChunkedDecoder()
            raw = decoder.feed(raw)
        }
        return RawResponse(status: status, headers: responseHeaders, body: raw)
    }

    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    }

    static let jsonHeaders = [("Content-Type", "application/json"), ("Accept", "application/json")]
}
