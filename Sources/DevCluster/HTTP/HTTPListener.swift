import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// One Hummingbird server on host:port (0 picks a port), running until `stop()`.
final class HTTPListener: Sendable {
    let port: Int
    private let task: Task<Void, Never>

    private init(port: Int, task: Task<Void, Never>) {
        self.port = port
        self.task = task
    }

    static func start(host: String, port: Int, logger: Logger,
                      handler: @escaping @Sendable (Request) async -> Response) async throws -> HTTPListener {
        let bound = BindSignal()
        // Hummingbird logs a cancelled shutdown as an error; only real failures matter here.
        var logger = logger
        logger.logLevel = .critical
        let responder = CallbackResponder<BasicRequestContext> { request, _ in await handler(request) }
        let app = Application(responder: responder,
                              configuration: .init(address: .hostname(host, port: port), serverName: nil),
                              onServerRunning: { channel in bound.resolve(.success(channel.localAddress?.port ?? port)) },
                              logger: logger)
        let task = Task {
            do { try await app.run() } catch { bound.resolve(.failure(error)) }
            bound.resolve(.failure(CancellationError()))
        }
        do {
            let actual = try await bound.wait()
            return HTTPListener(port: actual, task: task)
        } catch {
            task.cancel()
            throw ListenError(description: "cannot listen on \(host):\(port): \(error)")
        }
    }

    func stop() async {
        task.cancel()
        _ = await task.value
    }
}

struct ListenError: Error, CustomStringConvertible {
    var description: String
}

/// A one-shot result that one side resolves and another awaits.
private final class BindSignal: Sendable {
    private struct State {
        var result: Result<Int, any Error>?
        var waiting: CheckedContinuation<Int, any Error>?
    }
    private let state = Mutex(State())

    func resolve(_ result: Result<Int, any Error>) {
        let continuation: CheckedContinuation<Int, any Error>? = state.withLock { value in
            if value.result != nil { return nil }
            value.result = result
            let waiting = value.waiting
            value.waiting = nil
            return waiting
        }
        continuation?.resume(with: result)
    }

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Int, any Error>? = state.withLock { value in
                if let result = value.result { return result }
                value.waiting = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
