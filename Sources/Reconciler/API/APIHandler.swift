import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Scheduler

/// Routes the controller's HTTP API over a `ControllerHandle`. Read endpoints are open (the API listens
/// on loopback by default) unless `protectReads`; writes need a bearer token scoped to the service's
/// owners, or an admin token, and are audited; the webhook needs a valid signature.
struct APIHandler: Sendable {
    let handle: any ControllerHandle
    let configuration: APIConfiguration
    let authorization: BearerAuthorization
    let audit: (any AuditLog)?
    let metrics: ControllerMetrics
    let webhookSyncs: SyncCoalescer
    let logs: LogAccess
    let logger: Logger
    let now: @Sendable () -> Date

    static let signatureHeader = HTTPField.Name("X-Hub-Signature-256")!
    static let eventHeader = HTTPField.Name("X-GitHub-Event")!

    func respond(to request: Request, context: APIRequestContext) async -> Response {
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
                if let refusal = readRefusal(request) { return refusal }
                return APIReply.text(metrics.exposition(for: await handle.state(), now: now()),
                              contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        case "hooks" where parts == ["hooks", "git"]:
            return await only(.post, method) { await webhook(request, context: context) }
        case "api" where parts.count >= 3 && parts[1] == "v1":
            parts.removeFirst(2)
            if method == .get || method == .head, let refusal = readRefusal(request) { return refusal }
            return await api(parts, method: method, request: request, context: context)
        default:
            if method == .get || method == .head,
               let page = Dashboard.response(path: path, ifNoneMatch: request.headers[.ifNoneMatch]) { return page }
            return APIReply.error(.notFound, "no such endpoint: \(path)")
        }
    }

    private func api(_ parts: [String], method: HTTPRequest.Method, request: Request, context: APIRequestContext) async -> Response {
        if let response = await logRoutes(parts, method: method, request: request) { return response }
        switch parts.count {
        case 1:
            switch parts[0] {
            case "status": return await only(.get, method) { APIReply.json(StatusDocument(await handle.state()).json) }
            case "services":
                return await only(.get, method) {
                    let state = await handle.state()
                    let time = now()
                    return APIReply.json(.array(state.serviceStatuses(now: time).map { ServiceDocument($0, now: time).json }),
                                         ifNoneMatch: request.headers[.ifNoneMatch])
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
            case "audit": return await only(.get, method) { auditLog(request) }
            case "sync":
                return await only(.post, method) {
                    await adminWrite("sync", request: request, context: context) {
                        let record = await handle.sync(trigger: .api)
                        return .json(SyncRecordDocument(record).json, message: "sync \(record.id): \(record.outcome.rawValue)")
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
                return APIReply.json(ServiceDetailDocument(status, service: state.core.services[parts[1]], revision: state.appliedRevision, now: time).json,
                                     ifNoneMatch: request.headers[.ifNoneMatch])
            }
        case 3 where parts[0] == "services":
            let name = parts[1]
            switch parts[2] {
            case "scale", "pause", "resume", "bounce", "trigger":
                return await only(.post, method) {
                    await serviceWrite(parts[2], service: name, request: request, context: context) {
                        await write(parts[2], service: name, request: request)
                    }
                }
            case "promote", "abort":
                return await only(.post, method) {
                    await serviceWrite(parts[2], service: name, request: request, context: context) {
                        await decideCanary(parts[2], service: name)
                    }
                }
            default: break
            }
        case 4 where parts[0] == "services" && parts[2] == "overrides":
            return await only(.delete, method) {
                await serviceWrite("override.delete", service: parts[1], request: request, context: context) {
                    guard let kind = Override.Kind(rawValue: parts[3]) else {
                        let kinds = Override.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                        return .error(.badRequest, "unknown override kind \(parts[3]) (one of \(kinds))")
                    }
                    return await removeOverride(service: parts[1], kind: kind)
                }
            }
        default: break
        }
        return APIReply.error(.notFound, "no such endpoint: \(request.uri.path)")
    }

    private func only(_ allowed: HTTPRequest.Method, _ method: HTTPRequest.Method, _ body: () async -> Response) async -> Response {
        if method == allowed || (allowed == .get && method == .head) { return await body() }
        return APIReply.error(.methodNotAllowed, "use \(allowed.rawValue)", headers: [.allow: allowed.rawValue])
    }

    private func only(_ allowed: HTTPRequest.Method, _ method: HTTPRequest.Method, _ body: () -> Response) -> Response {
        if method == allowed || (allowed == .get && method == .head) { return body() }
        return APIReply.error(.methodNotAllowed, "use \(allowed.rawValue)", headers: [.allow: allowed.rawValue])
    }

    func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        var buffer = try await request.body.collect(upTo: limit)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}
