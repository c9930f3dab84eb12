import Foundation
import Logging

/// One SUBSCRIBE connection, run to its end on the calling (dedicated) thread.
///
/// Bytes feed a RecordIO decoder; each event is decoded here and handed to `deliver`.
/// The transfer is aborted from libcurl's progress callback when the client closes or the
/// heartbeat watchdog fires (no byte for `missedHeartbeats` x the interval from SUBSCRIBED).
struct SubscriptionSession {
    enum End: Equatable {
        case cancelled
        case redirect(MasterEndpoint)
        /// The detector named a new leader.
        case leaderMoved
        /// A non-200 answer to SUBSCRIBE.
        case rejected(MesosError)
        /// The connection could not be made or broke (watchdog, closed by the master, framing error).
        case dropped(String)
        /// The master sent ERROR; `subscribed` tells whether SUBSCRIBED came first.
        case errorEvent(String)
    }

    struct Outcome {
        var end: End
        var subscribed: Bool
    }

    let connection: MasterConnection
    let endpoint: MasterEndpoint
    let frameworkInfo: FrameworkInfo
    let isCancelled: @Sendable () -> Bool
    /// True once the detector names another leader: the stream is dropped to move there.
    var leaderMoved: () -> Bool = { false }
    /// Called with the stream id once the 200 headers arrive.
    let onStreamID: (String) -> Void
    /// Called with each decoded event, in order.
    let deliver: (Event) -> Void

    func run() -> Outcome {
        let configuration = connection.configuration
        let logger = configuration.logger
        let url = endpoint.url("/api/v1/scheduler")
        let body: Data
        do {
            body = try MesosJSON.encode(Call.subscribe(frameworkInfo))
        } catch {
            return Outcome(end: .rejected(.decoding(message: "cannot encode SUBSCRIBE: \(error)", url: url)),
                           subscribed: false)
        }
        let request = HTTPRequest(method: "POST", url: url, headers: MasterConnection.jsonHeaders, body: body,
                                  connectTimeout: configuration.connectTimeout, totalTimeout: nil)

        let start = DispatchTime.now().uptimeNanoseconds
        var lastByte = start
        var subscribed = false
        var heartbeatNanos = UInt64(15e9)
        var errorMessage: String?
        var failure: String?
        var decoder = EventStreamDecoder(maxRecordSize: configuration.maxRecordSize)
        let subscribeTimeout = UInt64(configuration.subscribeTimeout.seconds * 1e9)
        let missed = configuration.missedHeartbeats

        let context = TransferContext()
        context.onHeaders = { status, headers in
            if status == 200, let id = headers["mesos-stream-id"] { onStreamID(id) }
        }
        var moved = false
        context.shouldAbort = {
            if isCancelled() { return true }
            if leaderMoved() {
                moved = true
                return true
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if subscribed {
                let limit = UInt64(Double(heartbeatNanos) * missed)
                if now &- lastByte > limit {
                    failure = "no event or heartbeat for \(Double(now &- lastByte) / 1e9) s"
                    return true
                }
            } else if now &- start > subscribeTimeout {
                failure = "no SUBSCRIBED within \(configuration.subscribeTimeout)"
                return true
            }
            return false
        }
        context.onBody = { bytes in
            lastByte = DispatchTime.now().uptimeNanoseconds
            decoder.append(bytes)
            while true {
                let event: Event
                do {
                    guard let next = try decoder.next() else { return true }
                    event = next
                } catch let error as EventStreamDecoder.UndecodableEvent {
                    logger.error("Skipping an undecodable Mesos event", metadata: ["error": "\(error)"])
                    continue
                } catch {
                    failure = "\(error)"
                    return false
                }
                switch event.type {
                case .subscribed:
                    subscribed = true
                    if let seconds = event.subscribed?.heartbeatIntervalSeconds, seconds > 0, seconds.isFinite {
                        heartbeatNanos = UInt64(seconds * 1e9)
                    }
                case .error:
                    errorMessage = event.error?.message ?? "(no message)"
                default:
                    break
                }
                deliver(event)
                // The master closes the stream after ERROR; stop reading now.
                if errorMessage != nil { return false }
            }
        }

        let easy = connection.transport.dedicatedHandle()
        let result = easy.perform(request, security: connection.transport.security, context: context)
        if isCancelled() { return Outcome(end: .cancelled, subscribed: subscribed) }
        if moved { return Outcome(end: .leaderMoved, subscribed: subscribed) }
        if let errorMessage { return Outcome(end: .errorEvent(errorMessage), subscribed: subscribed) }
        let status = context.status
        if [301, 302, 303, 307, 308].contains(status) {
            guard let location = context.headers["location"], let target = endpoint.resolvingRedirect(location) else {
                return Outcome(end: .rejected(.redirectFailed(message: "\(status) without a usable Location", url: url)),
                               subscribed: false)
            }
            return Outcome(end: .redirect(target), subscribed: false)
        }
        if status != 0 && status != 200 {
            let response = HTTPResponse(status: status, headers: context.headers, body: context.body)
            return Outcome(end: .rejected(MesosError.from(response, url: url)), subscribed: false)
        }
        if let failure { return Outcome(end: .dropped(failure), subscribed: subscribed) }
        switch result {
        case .completed: return Outcome(end: .dropped("the master closed the event stream"), subscribed: subscribed)
        case .aborted: return Outcome(end: .dropped("the event stream was aborted"), subscribed: subscribed)
        case .timedOut: return Outcome(end: .dropped("connecting to \(endpoint) timed out"), subscribed: subscribed)
        case .failed(let message): return Outcome(end: .dropped(message), subscribed: subscribed)
        case .tlsFailed(let message):
            return Outcome(end: .rejected(.tls(message: message, url: url)), subscribed: subscribed)
        }
    }
}
