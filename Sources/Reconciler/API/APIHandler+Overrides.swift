import Foundation
import Hummingbird
import Scheduler

extension APIHandler {
    /// The override and trigger endpoints, after authorization (the service exists).
    func write(_ action: String, service: String, request: Request) async -> WriteReply {
        let body: [UInt8]
        do {
            body = try await collect(request, limit: configuration.maxBodyBytes)
        } catch {
            return .error(.contentTooLarge, "the request body is larger than \(configuration.maxBodyBytes) bytes")
        }
        let time = now()
        do {
            switch action {
            case "scale":
                let override = try OverrideRequest.scale(service: service, body: body, now: time)
                try await handle.setOverride(override)
                logger.info("override set", metadata: ["service": "\(service)", "kind": "scale", "value": "\(override.value ?? 0)"])
                return .json(OverrideDocument.json(override), message: "scale to \(override.value ?? 0)\(Self.until(override.expiresAt))")
            case "pause", "bounce":
                let kind: Override.Kind = action == "pause" ? .pause : .bounce
                let override = try OverrideRequest.timed(kind, service: service, body: body, now: time)
                try await handle.setOverride(override)
                logger.info("override set", metadata: ["service": "\(service)", "kind": "\(kind.rawValue)"])
                return .json(OverrideDocument.json(override), message: "\(kind.rawValue)\(Self.until(override.expiresAt))")
            case "resume":
                return await removeOverride(service: service, kind: .pause)
            default:
                let trigger = try OverrideRequest.decode(OverrideRequest.Trigger.self, from: body, emptyAs: OverrideRequest.Trigger())
                let run = try await handle.trigger(service: service, arguments: trigger.args ?? [], environment: trigger.env ?? [:])
                logger.info("run triggered", metadata: ["service": "\(service)", "run": "\(run)"])
                // The run's arguments and environment are not recorded: they may hold secrets.
                return .json(.object([("service", .string(service)), ("run", .string(run))]), status: .accepted, message: "run \(run)")
            }
        } catch let invalid as OverrideRequest.Invalid {
            return .error(.badRequest, invalid.description)
        } catch {
            return .error(.conflict, String(describing: error))
        }
    }

    /// `promote` or `abort` of a service's canary: the deploy as recorded, 409 when no canary waits.
    func decideCanary(_ action: String, service: String) async -> WriteReply {
        do {
            let entry = action == "promote" ? try await handle.promote(service: service) : try await handle.abortCanary(service: service)
            logger.info("canary \(action == "promote" ? "promoted" : "aborted")", metadata: ["service": "\(service)", "deploy": "\(entry.deployID)"])
            return .json(.object([
                ("service", .string(service)),
                ("deployId", .string(entry.deployID)),
                ("phase", .optional(entry.canary?.phase.rawValue)),
                ("state", .string(entry.outcome.rawValue)),
                ("reason", .optional(entry.reason)),
            ]), message: "\(action) deploy \(entry.deployID): \(entry.outcome.rawValue)")
        } catch {
            return .error(.conflict, String(describing: error))
        }
    }

    func removeOverride(service: String, kind: Override.Kind) async -> WriteReply {
        do {
            try await handle.removeOverride(service: service, kind: kind)
            logger.info("override removed", metadata: ["service": "\(service)", "kind": "\(kind.rawValue)"])
            return .json(.object([("service", .string(service)), ("removed", .string(kind.rawValue))]), message: "removed \(kind.rawValue)")
        } catch {
            return .error(.conflict, String(describing: error))
        }
    }

    private static func until(_ expiry: Date?) -> String {
        expiry.map { " until \(APIDate.format($0))" } ?? ""
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
