import Foundation
import Hummingbird
import Scheduler

extension APIHandler {
    /// The override and trigger endpoints, after authorization.
    func write(_ action: String, service: String, request: Request) async -> Response {
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

    /// `promote` or `abort` of a service's canary: the deploy as recorded, 409 when no canary waits.
    func decideCanary(_ action: String, service: String) async -> Response {
        let state = await handle.state()
        guard state.desired[service] != nil || state.core.services[service] != nil else {
            return APIReply.error(.notFound, "no service named \(service)")
        }
        do {
            let entry = action == "promote" ? try await handle.promote(service: service) : try await handle.abortCanary(service: service)
            logger.info("canary \(action == "promote" ? "promoted" : "aborted")", metadata: ["service": "\(service)", "deploy": "\(entry.deployID)"])
            return APIReply.json(.object([
                ("service", .string(service)),
                ("deployId", .string(entry.deployID)),
                ("phase", .optional(entry.canary?.phase.rawValue)),
                ("state", .string(entry.outcome.rawValue)),
                ("reason", .optional(entry.reason)),
            ]))
        } catch {
            return APIReply.error(.conflict, String(describing: error))
        }
    }

    func removeOverride(service: String, kind: Override.Kind) async -> Response {
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
