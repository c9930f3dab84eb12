import Foundation
import Hummingbird
import Logging
import NIOCore
import Scheduler
import ServiceLifecycle
import Synchronization

/// The controller's HTTP API (status, metrics, overrides, webhook) over any `ControllerHandle`.
///
/// Run it as a ServiceLifecycle `Service` (it stops on graceful shutdown or cancellation), or
/// `start()` it to get the bound port back (tests, `converge dev` with port 0).
public struct APIServer: Service {
    public let configuration: APIConfiguration
    let handler: APIHandler
    let logger: Logger

    /// - Parameter audit: where writes are recorded (the state store); nil: logged only, and
    ///   `GET /api/v1/audit` answers 404.
    public init(handle: any ControllerHandle, configuration: APIConfiguration = APIConfiguration(),
                metrics: ControllerMetrics = ControllerMetrics(), audit: (any AuditLog)? = nil,
                logger: Logger = Logger(label: "converge.api"), now: @escaping @Sendable () -> Date = { Date() }, logs: LogAccess = LogAccess()) {
        self.configuration = configuration
        self.logger = logger
        let authorization = BearerAuthorization(tokenFile: configuration.tokenFile,
                                                tokens: configuration.tokensFile.map(TokensFileCache.init(path:)), logger: logger)
        handler = APIHandler(handle: handle, configuration: configuration, authorization: authorization, audit: audit, metrics: metrics,
                             webhookSyncs: SyncCoalescer(handle: handle), logs: logs, logger: logger, now: now)
    }

    /// Serves until cancelled or a graceful shutdown; throws when the address cannot be bound or a
    /// configured secret file cannot be read.
    public func run() async throws {
        try await run(onBound: { _ in })
    }

    /// Starts serving in a task of its own; returns once the socket is bound.
    public func start() async throws -> RunningAPIServer {
        let bound = BoundPort()
        let task = Task {
            do {
                try await run(onBound: { bound.resolve(.success($0)) })
                bound.resolve(.failure(APIServerError(message: "the API server stopped before binding")))
            } catch {
                bound.resolve(.failure(error))
            }
        }
        do {
            let port = try await bound.wait()
            return RunningAPIServer(host: configuration.listen.host, port: port, task: task, syncs: handler.webhookSyncs)
        } catch {
            task.cancel()
            throw error
        }
    }

    func run(onBound: @escaping @Sendable (Int) -> Void) async throws {
        try configuration.validate()
        let handler = self.handler
        let listen = configuration.listen
        let responder = CallbackResponder<APIRequestContext> { request, context in await handler.respond(to: request, context: context) }
        // Hummingbird logs its lifecycle, and a cancelled shutdown as an error; the controller's own
        // log says what matters.
        var serverLogger = logger
        serverLogger.logLevel = .critical
        let logger = self.logger
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                logger.info("API listening", metadata: ["address": "\(ListenAddress(host: listen.host, port: port))"])
                onBound(port)
            },
            logger: serverLogger)
        do {
            try await app.run()
        } catch is CancellationError {
        }
        await handler.webhookSyncs.cancel()
    }
}

/// A started API server: its port, and `stop()`.
public final class RunningAPIServer: Sendable {
    public let host: String
    public let port: Int
    private let task: Task<Void, Never>
    let syncs: SyncCoalescer

    init(host: String, port: Int, task: Task<Void, Never>, syncs: SyncCoalescer) {
        self.host = host
        self.port = port
        self.task = task
        self.syncs = syncs
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)" }

    /// Waits for a webhook-triggered sync in flight, if any.
    public func settleWebhookSyncs() async { await syncs.settle() }

    /// Stops serving and waits until the socket is closed.
    public func stop() async {
        task.cancel()
        await task.value
    }
}

public struct APIServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A one-shot port that the server resolves once bound and the starter awaits.
private final class BoundPort: Sendable {
    private struct State {
        var result: Result<Int, any Error>?
        var waiting: CheckedContinuation<Int, any Error>?
    }

    private let state = Mutex(State())

    func resolve(_ result: Result<Int, any Error>) {
        let continuation: CheckedContinuation<Int, any Error>? = state.withLock { value in
            if value.result != nil { return nil }
            value.result = result
            defer { value.waiting = nil }
            return value.waiting
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
