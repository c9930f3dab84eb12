import Dispatch
import Foundation

/// Runs blocking libcurl transfers off the Swift concurrency pool, reusing handles (and so connections).
///
/// Thread safety: the handle pool is guarded by a lock; each handle serves one transfer at a time.
final class HTTPTransport: @unchecked Sendable {  // @unchecked: `idle` is only touched under `lock`.
    let security: TransportSecurity
    private let lock = NSLock()
    private var idle: [CurlEasy] = []
    private let maxIdle: Int
    private let queue = DispatchQueue(label: "converge.mesos.http", attributes: .concurrent)

    init(security: TransportSecurity, maxIdleHandles: Int = 8) {
        self.security = security
        self.maxIdle = maxIdleHandles
    }

    /// Performs the request and buffers the whole response.
    func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.performBlocking(request) })
            }
        }
    }

    /// Performs the request on the calling thread.
    func performBlocking(_ request: HTTPRequest, context: TransferContext = TransferContext()) throws -> HTTPResponse {
        let easy = checkOut()
        let outcome = easy.perform(request, security: security, context: context)
        checkIn(easy)
        switch outcome {
        case .completed:
            return HTTPResponse(status: context.status, headers: context.headers, body: context.body)
        case .timedOut:
            throw MesosError.timedOut(url: request.url)
        case .aborted:
            throw MesosError.transport(message: "transfer aborted (response over \(context.maxBodySize) bytes?)",
                                       url: request.url)
        case .failed(let message):
            throw MesosError.transport(message: message, url: request.url)
        case .tlsFailed(let message):
            throw MesosError.tls(message: message, url: request.url)
        }
    }

    /// A handle for a long transfer (the event stream); not returned to the pool.
    func dedicatedHandle() -> CurlEasy { CurlEasy() }

    private func checkOut() -> CurlEasy {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast() ?? CurlEasy()
    }

    private func checkIn(_ easy: CurlEasy) {
        lock.lock()
        defer { lock.unlock() }
        if idle.count < maxIdle { idle.append(easy) }
    }
}
