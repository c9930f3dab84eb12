import Foundation
import Scheduler

/// A deploy's canary in `GET /api/v1/services` and `/services/{name}`:
/// `{"phase", "instances", "healthy", "holdEndsAt", "holdRemainingSeconds", "reason"}`.
public struct CanaryDocument: Decodable, Sendable, Equatable {
    /// starting, holding, waitingForPromotion, promoted or aborted.
    public var phase: String
    public var instances: Int
    public var healthy: Int
    public var holdEndsAt: Date?
    public var holdRemainingSeconds: Int?
    public var reason: String?

    public init(_ status: CanaryStatus, now: Date) {
        phase = status.phase.rawValue
        instances = status.instances
        healthy = status.healthy
        holdEndsAt = status.holdEndsAt
        holdRemainingSeconds = status.holdEndsAt.map { max(0, Int($0.timeIntervalSince(now).rounded(.up))) }
        reason = status.reason
    }

    public var json: APIJSON {
        .object([
            ("phase", .string(phase)),
            ("instances", .int(instances)),
            ("healthy", .int(healthy)),
            ("holdEndsAt", .optional(holdEndsAt)),
            ("holdRemainingSeconds", .optional(holdRemainingSeconds)),
            ("reason", .optional(reason)),
        ])
    }

    /// One line for `converge status`: "canary holding, 4m12s left".
    public var summary: String {
        switch phase {
        case "starting": "canary starting (\(healthy)/\(instances) healthy)"
        case "holding": "canary holding" + (holdRemainingSeconds.map { ", \(Self.duration($0)) left" } ?? "")
        case "waitingForPromotion": "canary waiting for promotion"
        case "promoted": "canary promoted"
        case "aborted": "canary aborted"
        default: "canary \(phase)"
        }
    }

    static func duration(_ seconds: Int) -> String {
        seconds >= 60 ? "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s" : "\(seconds)s"
    }
}
