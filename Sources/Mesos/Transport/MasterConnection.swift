import Foundation
import Logging

/// Sends requests to the leading master: follows 307 redirects (protocol-relative `Location`),
/// retries 503 with backoff until a deadline, and turns error statuses into `MesosError`.
final class MasterConnection: Sendable {
    let configuration: MesosClientConfiguration
    let transport: HTTPTransport
    /// The leader learned from redirects, or the master that last answered.
    private let leader: Locked<MasterEndpoint?> = Locked(nil)
    private let nextMaster = Locked(0)
    /// Bumped on every leader change the detector reports: a subscription to an older one moves.
    let detectedGeneration = Locked(0)

    init(configuration: MesosClientConfiguration) {
        self.configuration = configuration
        self.transport = HTTPTransport(security: configuration.security)
        configuration.detector?.onLeaderChange { [leader, detectedGeneration, logger = configuration.logger] endpoint in
            guard let endpoint else { return }
            let changed = leader.withLock { remembered -> Bool in
                defer { remembered = endpoint }
                return remembered != endpoint
            }
            if changed {
                detectedGeneration.withLock { $0 += 1 }
                logger.info("Detected a new leading Mesos master", metadata: ["master": "\(endpoint)"])
            }
        }
    }

    /// Where requests go now.
    var currentEndpoint: MasterEndpoint {
        leader.current ?? configuration.detector?.leader ?? configuration.masters[nextMaster.current % configuration.masters.count]
    }

    func rememberLeader(_ endpoint: MasterEndpoint) {
        leader.withLock { $0 = endpoint }
    }

    /// Forgets the leader and moves to the next configured master (after a connection failure); with a
    /// detector, goes back to the leader it detected.
    func rotateMaster() {
        leader.withLock { $0 = configuration.detector?.leader }
        nextMaster.withLock { $0 += 1 }
    }

    static let jsonHeaders: [(name: String, value: String)] = [
        ("Content-Type", "application/json"), ("Accept", "application/json"),
    ]

    /// Sends a request, following redirects and retrying 503 and (when `retryTransport`) connection failures.
    func send(
        method: String, path: String, body: Data? = nil, headers: [(name: String, value: String)] = [],
        pinnedTo pinned: MasterEndpoint? = nil, retryTransport: Bool = false
    ) async throws -> HTTPResponse {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: configuration.retryDeadline)
        var endpoint = pinned ?? currentEndpoint
        var redirects = 0
        var attempt = 0
        while true {
            let url = endpoint.url(path)
            let request = HTTPRequest(method: method, url: url, headers: headers, body: body,
                                      connectTimeout: configuration.connectTimeout,
                                      totalTimeout: configuration.requestTimeout)
            let response: HTTPResponse
            do {
                response = try await transport.perform(request)
            } catch let error as MesosError {
                guard retryTransport, case .transport = error else { throw error }
                if pinned == nil, configuration.masters.count > 1 || configuration.detector != nil {
                    rotateMaster()
                    endpoint = currentEndpoint
                }
                try await sleepBeforeRetry(attempt: &attempt, deadline: deadline, clock: clock, error: error)
                continue
            }
            switch response.status {
            case 200..<300:
                if pinned == nil { rememberLeader(endpoint) }
                return response
            case 301, 302, 303, 307, 308:
                redirects += 1
                guard let location = response[header: "Location"],
                      let target = endpoint.resolvingRedirect(location)
                else {
                    throw MesosError.redirectFailed(message: "\(response.status) without a usable Location", url: url)
                }
                guard redirects <= configuration.maxRedirects else {
                    throw MesosError.redirectFailed(message: "more than \(configuration.maxRedirects) redirects", url: url)
                }
                configuration.logger.info("Mesos master redirected", metadata: ["from": "\(endpoint)", "to": "\(target)"])
                endpoint = target
                rememberLeader(target)
            case 503:
                try await sleepBeforeRetry(attempt: &attempt, deadline: deadline, clock: clock,
                                           error: MesosError.from(response, url: url))
            default:
                throw MesosError.from(response, url: url)
            }
        }
    }

    private func sleepBeforeRetry(attempt: inout Int, deadline: ContinuousClock.Instant, clock: ContinuousClock,
                                  error: MesosError) async throws {
        let delay = configuration.retryBackoff.delay(attempt: attempt)
        attempt += 1
        guard clock.now.advanced(by: delay) < deadline else { throw error }
        configuration.logger.debug("Retrying Mesos request", metadata: ["delay": "\(delay)", "error": "\(error)"])
        try await Task.sleep(for: delay)
    }
}
