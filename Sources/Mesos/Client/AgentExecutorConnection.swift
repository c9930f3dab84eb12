import Foundation

/// An executor's HTTP connection to its agent (`/api/v1/executor`): the SUBSCRIBE event stream and short calls.
///
/// Blocking by design: the executor runs the stream on a dedicated thread and its calls on a serial queue.
public final class AgentExecutorConnection: Sendable {
    /// `host:port` as in `MESOS_AGENT_ENDPOINT`.
    public let endpoint: String
    private let transport: HTTPTransport
    private let connectTimeout: Duration

    public init(endpoint: String, security: TransportSecurity = TransportSecurity(),
                connectTimeout: Duration = .seconds(5)) {
        self.endpoint = endpoint
        self.transport = HTTPTransport(security: security, maxIdleHandles: 2)
        self.connectTimeout = connectTimeout
    }

    public var url: String {
        let scheme = transport.security.caFile != nil ? "https" : "http"
        return "\(scheme)://\(endpoint)/api/v1/executor"
    }

    /// How a SUBSCRIBE stream ended.
    public enum StreamEnd: Sendable, Equatable, CustomStringConvertible {
        /// `isCancelled` returned true.
        case cancelled
        /// The agent answered SUBSCRIBE with something other than 200.
        case rejected(status: Int, message: String)
        /// The connection failed, broke or was closed by the agent.
        case dropped(String)

        public var description: String {
            switch self {
            case .cancelled: return "cancelled"
            case .rejected(let status, let message): return "agent answered \(status): \(message)"
            case .dropped(let detail): return detail
            }
        }
    }

    /// POSTs SUBSCRIBE and hands every event to `onEvent`, in order, on the calling thread, until the stream ends.
    /// `onOpen` runs once the agent's 200 headers arrive.
    public func subscribe(
        _ call: ExecutorCall, isCancelled: @escaping () -> Bool, onOpen: @escaping () -> Void = {},
        onEvent: @escaping (ExecutorEvent) -> Void
    ) -> StreamEnd {
        let body: Data
        do { body = try MesosJSON.encode(call) } catch { return .dropped("cannot encode SUBSCRIBE: \(error)") }
        let request = HTTPRequest(method: "POST", url: url, headers: Self.headers, body: body,
                                  connectTimeout: connectTimeout, totalTimeout: nil)
        var records = RecordIODecoder()
        let decoder = MesosJSON.makeDecoder()
        var failure: String?
        let context = TransferContext()
        context.shouldAbort = isCancelled
        context.onHeaders = { status, _ in if status == 200 { onOpen() } }
        context.onBody = { bytes in
            records.append(bytes)
            while true {
                let record: Data
                do {
                    guard let next = try records.next() else { return true }
                    record = next
                } catch {
                    failure = "\(error)"
                    return false
                }
                // An event this executor cannot read is skipped (a newer agent's event type, say).
                if let event = try? decoder.decode(ExecutorEvent.self, from: record) { onEvent(event) }
            }
        }
        let easy = transport.dedicatedHandle()
        let outcome = easy.perform(request, security: transport.security, context: context)
        if isCancelled() { return .cancelled }
        if context.status != 0 && context.status != 200 {
            let text = String(decoding: context.body.prefix(4096), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return .rejected(status: context.status, message: text)
        }
        if let failure { return .dropped(failure) }
        switch outcome {
        case .completed: return .dropped("the agent closed the event stream")
        case .aborted: return .dropped("the event stream was aborted")
        case .timedOut: return .dropped("connecting to \(endpoint) timed out")
        case .failed(let message), .tlsFailed(let message): return .dropped(message)
        }
    }

    /// Sends a short call (UPDATE, MESSAGE, HEARTBEAT) and returns the agent's answer (202 on success).
    public func send(_ call: ExecutorCall, timeout: Duration = .seconds(10)) throws -> HTTPResponse {
        let request = HTTPRequest(method: "POST", url: url, headers: Self.headers, body: try MesosJSON.encode(call),
                                  connectTimeout: connectTimeout, totalTimeout: timeout)
        return try transport.performBlocking(request)
    }

    static let headers: [(name: String, value: String)] = [
        ("Content-Type", "application/json"), ("Accept", "application/json"),
    ]
}
