import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Scheduler

/// Routes the controller's HTTP API over a `ControllerHandle`. Read endpoints are open (the API listens
/// on loopback by default); writes need the bearer token; the webhook needs a valid signature.
struct APIHandler: Sendable {
    let handle: any ControllerHandle
    let configuration: APIConfiguration
    let metrics: ControllerMetrics
    let webhookSyncs: SyncCoalescer
    let logger: Logger
    let now: @Sendable () -> Date

    static let signatureHeader = HTTPField.Name("X-Hub-Signature-256")!
    static let eventHeader = HTTPField.Name("X-GitHub-Event")!

    func respond(to request: Request) async -> Response {
        let path = request.uri.path
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let method = request.method
        switch parts.first {
        case "healthz" where parts.count == 1:
            return only(.get, method) { APIReply.text("ok\n") }
        case "readyz" where parts.count == 1:
            return await only(.get, method) {
                await handle.state().ready ? APIReply.text("ready\n") : APIReply.text("not ready\n", status: .serviceUnavailable)
            }
        case "metrics" where parts.count == 1:
            return await only(.get, method) {
                APIReply.text(metrics.exposition(for: await handle.state(), now: now()),
                              contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        case "hooks" where parts == ["hooks", "git"]:
            return await only(.post, method) { await webhook(request) }
        case "api" where parts.count >= 3 && parts[1] == "v1":
            parts.removeFirst(2)
            return await api(parts, method: method, request: request)
        default:
            return APIReply.error(.notFound, "no such endpoint: \(path)")
        }
    }

    private func api(_ parts: [String], method: HTTPRequest.Method, request: Request) async -> Response {
        switch parts.count {
        case 1:
            switch parts[0] {
            case "status": return await only(.get, method) { APIReply.json(StatusDocument(await handle.state()).json) }
            case "services":
                return await only(.get, method) {
                    let state = await handle.state()
                    return APIReply.json(.array(state.serviceStatuses(now: now()).map { ServiceDocument($0).json }))
                }
            case "plan":
                return await only(.get, method) {
                    let state = await handle.state()
                    return APIReply.json(PlanDocument.json(plan: state.plan, base: state.core.revision, target: state.appliedRevision))
                }
            case "history":
                return await only(.get, method) {
                    let state = await handle.state()
                    let limit = request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? state.history.count
                    return APIReply.json(.array(state.history.prefix(max(0, limit)).map { SyncRecordDocument($0).json }))
                }
            case "actual": return await only(.get, method) { APIReply.json(ActualDocument.json(await handle.state())) }
            case "sync":
                return await only(.post, method) {
                    await authorized(request) {
                        let record = await handle.sync(trigger: .api)
                        return APIReply.json(SyncRecordDocument(record).json)
                    }
                }
            default: break
            }
        case 2 where parts[0] == "services":
            return await only(.get, method) {
                let state = await handle.state()
                let time = now()
                guard let status = state.serviceStatus(named: parts[1], now: time) else {
                    return APIReply.error(.notFound, "no service named \(parts[1])")
                }
                return APIReply.json(ServiceDetailDocument(status, service: state.core.services[parts[1]], now: time).json)
            }
        case 3 where parts[0] == "services":
            let name = parts[1]
            switch parts[2] {
            case "scale", "pause", "resume", "bounce", "trigger":
                return await only(.post, method) {
                    await authorized(request) { await write(parts[2], service: name, request: request) }
                }
            default: break
            }
        case 4 where parts[0] == "services" && parts[2] == "overrides":
            return await only(.delete, method) {
                await authorized(request) {
                    guard let kind = Override.Kind(rawValue: parts[3]) else {
                        let kinds = Override.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                        return APIReply.error(.badRequest, "unknown override kind \(parts[3]) (one of \(kinds))")
                    }
                    return await removeOverride(service: parts[1], kind: kind)
                }
            }
        default: break
        }
        return APIReply.error(.notFound, "no such endpoint: \(request.uri.path)")
    }

    /// The override and trigger endpoints, after authorization.
    private func write(_ action: String, service: String, request: Request) async -> Response {
        let body: [UInt8]
        do {
            body = try await collect(request, limit: configuration.maxBodyBytes)
        } catch {
            return APIReply.error(.contentTooLarge, "the request body is larger than \(configuration.maxBodyBytes) bytes")
        }
        let state = await handle.state()
        guard state.desired[service] != nil || state.core.services[service] != nil else {
            return APIReply.error(.notFound, "no service named \(service)")
        }
        let time = now()
        do {
            switch action {
            case "scale":
                let override = try OverrideRequest.scale(service: service, body: body, now: time)
                try await handle.setOverride(override)
                logger.info("override set", metadata: ["service": "\(service)", "kind": "scale", "value": "\(override.value ?? 0)"])
                return APIReply.json(OverrideDocument.json(override))
            case "pause", "bounce":
                let kind: Override.Kind = action == "pause" ? .pause : .bounce
                let override = try OverrideRequest.timed(kind, service: service, body: body, now: time)
                try await handle.setOverride(override)
                logger.info("override set", metadata: ["service": "\(service)", "kind": "\(kind.rawValue)"])
                return APIReply.json(OverrideDocument.json(override))
            case "resume":
                return await removeOverride(service: service, kind: .pause)
            default:
                let trigger = try OverrideRequest.decode(OverrideRequest.Trigger.self, from: body, emptyAs: OverrideRequest.Trigger())
                let run = try await handle.trigger(service: service, arguments: trigger.args ?? [], environment: trigger.env ?? [:])
                logger.info("run triggered", metadata: ["service": "\(service)", "run": "\(run)"])
                return APIReply.json(.object([("service", .string(service)), ("run", .string(run))]), status: .accepted)
            }
        } catch let invalid as OverrideRequest.Invalid {
            return APIReply.error(.badRequest, invalid.description)
        } catch {
            return APIReply.error(.conflict, String(describing: error))
        }
    }

    private func removeOverride(service: String, kind: Override.Kind) async -> Response {
        let state = await handle.state()
        guard state.desired[service] != nil || state.core.services[service] != nil else {
            return APIReply.error(.notFound, "no service named \(service)")
        }
        do {
            try await handle.removeOverride(service: service, kind: kind)
            logger.info("override removed", metadata: ["service": "\(service)", "kind": "\(kind.rawValue)"])
            return APIReply.json(.object([("service", .string(service)), ("removed", .string(kind.rawValue))]))
        } catch {
            return APIReply.error(.conflict, String(describing: error))
        }
    }

    /// `POST /hooks/git`: verify the signature over the raw body, then sync in the background.
    private func webhook(_ request: Request) async -> Response {
        guard let secretFile = configuration.webhookSecretFile else {
            return APIReply.error(.forbidden, "the webhook is disabled: the controller has no webhook secret file (--webhook-secret-file)")
        }
        let secret: [UInt8]
        do {
            secret = try SecretFile.read(secretFile, what: "webhook secret")
        } catch {
            logger.error("webhook refused: \(error)")
            return APIReply.error(.internalServerError, "the webhook secret cannot be read on the server")
        }
        let body: [UInt8]
        do {
            body = try await collect(request, limit: configuration.maxWebhookBytes)
        } catch {
            return APIReply.error(.contentTooLarge, "the payload is larger than \(configuration.maxWebhookBytes) bytes")
        }
        guard WebhookSignature.isValid(header: request.headers[Self.signatureHeader], body: body, secret: secret) else {
            logger.warning("webhook refused: bad or missing X-Hub-Signature-256")
            return APIReply.error(.unauthorized, "bad or missing X-Hub-Signature-256")
        }
        if request.headers[Self.eventHeader] == "ping" {
            return APIReply.json(.object([("status", .string("pong"))]))
        }
        await webhookSyncs.request(trigger: .webhook)
        return APIReply.json(.object([("status", .string("sync requested"))]), status: .accepted)
    }

    private func authorized(_ request: Request, _ body: () async -> Response) async -> Response {
        switch BearerAuthorization(tokenFile: configuration.tokenFile).check(authorizationHeader: request.headers[.authorization]) {
        case .allowed:
            return await body()
        case .unauthenticated(let message):
            return APIReply.error(.unauthorized, message, headers: [.wwwAuthenticate: "Bearer"])
        case .forbidden(let message):
            return APIReply.error(.forbidden, message)
        case .unavailable(let message):
            logger.error("write refused: the token file \(configuration.tokenFile ?? "") cannot be read")
            return APIReply.error(.internalServerError, message)
        }
    }

    private func only(_ allowed: HTTPRequest.Method, _ method: HTTPRequest.Method, _ body: () async -> Response) async -> Response {
        if method == allowed || (allowed == .get && method == .head) { return await body() }
        return APIReply.error(.methodNotAllowed, "use \(allowed.rawValue)", headers: [.allow: allowed.rawValue])
    }

    private func only(_ allowed: HTTPRequest.Method, _ method: HTTPRequest.Method, _ body: () -> Response) -> Response {
        if method == allowed || (allowed == .get && method == .head) { return body() }
        return APIReply.error(.methodNotAllowed, "use \(allowed.rawValue)", headers: [.allow: allowed.rawValue])
    }

    private func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        var buffer = try await request.body.collect(upTo: limit)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}

/// The answer of a scale, pause or bounce: the override as set.
enum OverrideDocument {
    static func json(_ override: Override) -> APIJSON {
        .object([
            ("service", .string(override.service)),
            ("kind", .string(override.kind.rawValue)),
            ("value", .optional(override.value)),
            ("reason", .string(override.reason)),
            ("createdAt", .date(override.createdAt)),
            ("expiresAt", .optional(override.expiresAt)),
        ])
    }
}
