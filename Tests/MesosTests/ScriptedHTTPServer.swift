import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for transport tests: each request goes to a script that writes
/// whatever bytes it wants (plain answers, chunked streams, silence, slammed connections).
final class ScriptedHTTPServer: @unchecked Sendable {  // @unchecked: mutable state is behind `lock`.
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    typealias Handler = @Sendable (Request, Connection) -> Void

    let port: UInt16
    private let listenFD: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var connections: [Connection] = []
    private var threads = 0
    private var stopped = false

    init(handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listenFD = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var authority: String { "127.0.0.1:\(port)" }

    /// Every request received so far.
    var requests: [Request] { lock.withLock { recorded } }

    func requests(path: String) -> [Request] { requests.filter { $0.path.hasPrefix(path) } }

    func stop() {
        let open = lock.withLock { () -> [Connection] in
            stopped = true
            return connections
        }
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
        for connection in open { connection.close() }
    }

    deinit { if !lock.withLock({ stopped }) { stop() } }

    private func acceptLoop() {
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if lock.withLock({ stopped }) { return }
                if errno == EINTR { continue }
                return
            }
            var yes: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let connection = Connection(fd: fd)
            let accepted = lock.withLock { () -> Bool in
                if stopped { return false }
                connections.append(connection)
                return true
            }
            guard accepted else {
                connection.close()
                return
            }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Connection) {
        while let request = connection.readRequest() {
            lock.withLock { recorded.append(request) }
            handler(request, connection)
            if connection.isClosed { break }
        }
        connection.close()
    }

    /// One client connection; writes are unbuffered.
    final class Connection: @unchecked Sendable {  // @unchecked: fd use is serialised by the serving thread.
        let fd: Int32
        private var buffer: [UInt8] = []
        private let closeLock = NSLock()
        private(set) var isClosed = false

        init(fd: Int32) { self.fd = fd }

        func close() {
            closeLock.withLock {
                guard !isClosed else { return }
                isClosed = true
                shutdown(fd, Int32(SHUT_RDWR))
                Glibc.close(fd)
            }
        }

        @discardableResult
        func write(_ data: Data) -> Bool {
            if isClosed { return false }
            return data.withUnsafeBytes { raw -> Bool in
                var offset = 0
                while offset < raw.count {
                    let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    if n <= 0 { return false }
                    offset += n
                }
                return true
            }
        }

        @discardableResult
        func write(_ string: String) -> Bool { write(Data(string.utf8)) }

        /// A complete response with Content-Length.
        func respond(_ status: Int, _ reason: String = "", headers: [String: String] = [:], body: String = "") {
            var head = "HTTP/1.1 \(status) \(reason.isEmpty ? "Status" : reason)\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body.utf8.count)\r\n\r\n"
            write(head + body)
        }

        /// Starts a chunked 200 response.
        func startChunked(headers: [String: String]) {
            var head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            write(head + "\r\n")
        }

        @discardableResult
        func chunk(_ data: Data) -> Bool {
            guard !data.isEmpty else { return true }
            var out = Data(String(data.count, radix: 16).utf8)
            out.append(contentsOf: [13, 10])
            out.append(data)
            out.append(contentsOf: [13, 10])
            return write(out)
        }

        func endChunked() { write("0\r\n\r\n") }

        /// Waits until the peer closes the connection or the timeout passes; true if closed.
        func waitForPeerClose(timeout: TimeInterval) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if isClosed { return true }
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, 50)
                if ready > 0 {
                    var byte: UInt8 = 0
                    let n = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
                    if n == 0 || (n < 0 && errno != EAGAIN) { return true }
                    Thread.sleep(forTimeInterval: 0.02)
                }
            }
            return false
        }

        func readRequest() -> Request? {
            guard let headerEnd = readUntilHeaderEnd() else { return nil }
            let head = String(decoding: buffer[..<headerEnd], as: UTF8.self)
            buffer.removeSubrange(..<(headerEnd + 4))
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ")
            guard requestLine.count >= 2 else { return nil }
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while buffer.count < length {
                guard fill() else { return nil }
            }
            let body = Data(buffer[..<length])
            buffer.removeSubrange(..<length)
            return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
        }

        private func readUntilHeaderEnd() -> Int? {
            while true {
                if buffer.count >= 4 {
                    for index in 0...(buffer.count - 4)
                    where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                        return index
                    }
                }
                guard fill() else { return nil }
            }
        }

        private func fill() -> Bool {
            if isClosed { return false }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = recv(fd, &chunk, chunk.count, 0)
            guard n > 0 else { return false }
            buffer.append(contentsOf: chunk[..<n])
            return true
        }
    }
}

extension NSLock {
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
