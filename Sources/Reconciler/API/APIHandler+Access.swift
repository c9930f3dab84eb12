import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Scheduler

/// A write's answer and the one-line outcome the audit log keeps (never a body, never a secret).
struct WriteReply {
    var response: Response
    var message: String

    static func error(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> WriteReply {
        WriteReply(response: APIReply.error(status, message, headers: headers), message: message)
    }

    static func json(_ value: APIJSON, status: HTTPResponse.Status = .ok, message: String) -> WriteReply {
        WriteReply(response: APIReply.json(value, status: status), message: message)
    }
}

extension APIHandler {
    /// The gate of every write on one service (scale, pause, resume, bounce, trigger, override removal,
    /// and any later action): a valid token whose owners share one with the service's manifest
    /// `metadata.owners`, or an admin token. The outcome, allowed or refused, goes to the audit log.
    func serviceWrite(_ action: String, service: String, request: Request, context: APIRequestContext,
                      _ body: @escaping () async -> WriteReply) async -> Response {
        await audited(action, service: service, request: request, context: context) { caller in
            let state = await handle.state()
            guard let owners = (state.desired[service] ?? state.core.services[service]?.workload)?.metadata.owners else {
                return .error(.notFound, "no service named \(service)")
            }
            if let refusal = caller.refusal(for: .service(service, owners: owners)) { return .error(.forbidden, refusal) }
            return await body()
        }
    }

    /// The gate of sync and other actions on the whole controller: an admin token.
    func adminWrite(_ action: String, request: Request, context: APIRequestContext,
                    _ body: @escaping () async -> WriteReply) async -> Response {
        await audited(action, service: nil, request: request, context: context) { caller in
            if let refusal = caller.refusal(for: .admin(action)) { return .error(.forbidden, refusal) }
            return await body()
        }
    }

    /// Authenticates, runs the write, and records who did what from where and how it ended.
    func audited(_ action: String, service: String?, request: Request, context: APIRequestContext,
                 _ body: (Caller) async -> WriteReply) async -> Response {
        let actor: String
        let reply: WriteReply
        switch authorization.check(authorizationHeader: request.headers[.authorization]) {
        case .allowed(let caller):
            actor = caller.name
            reply = await body(caller)
        case .unauthenticated(let message):
            actor = AuditEntry.anonymous
            reply = .error(.unauthorized, message, headers: [.wwwAuthenticate: "Bearer"])
        case .forbidden(let message):
            actor = AuditEntry.anonymous
            reply = .error(.forbidden, message)
        case .unavailable(let message):
            actor = AuditEntry.anonymous
            reply = .error(.internalServerError, message)
        }
        record(AuditEntry(time: now(), actor: actor, action: action, service: service, remoteAddress: context.clientAddress,
                          status: Int(reply.response.status.code), message: reply.message))
        return reply.response
    }

    /// Logs the entry and appends it to the audit log; a failed append is logged, the answer stands.
    func record(_ entry: AuditEntry) {
        let metadata: Logger.Metadata = [
            "actor": "\(entry.actor)", "action": "\(entry.action)", "service": "\(entry.service ?? "-")",
            "remote": "\(entry.remoteAddress)", "status": "\(entry.status)", "message": "\(entry.message)",
        ]
        if entry.allowed { logger.notice("audit", metadata: metadata) } else { logger.warning("audit: refused", metadata: metadata) }
        guard let audit else { return }
        do {
            try audit.appendAudit(entry)
        } catch {
            logger.error("the audit log cannot be written: \(error)", metadata: metadata)
        }
    }

    /// With `--protect-reads`, reads need any valid token; nil when the read may go on.
    func readRefusal(_ request: Request) -> Response? {
        guard configuration.protectReads else { return nil }
        switch authorization.check(authorizationHeader: request.headers[.authorization]) {
        case .allowed: return nil
        case .unauthenticated(let message): return APIReply.error(.unauthorized, message, headers: [.wwwAuthenticate: "Bearer"])
        case .forbidden(let message): return APIReply.error(.forbidden, message)
        case .unavailable(let message): return APIReply.error(.internalServerError, message)
        }
    }
}

extension AuditEntry {
    static let anonymous = "anonymous"
}
