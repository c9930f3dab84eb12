import Foundation

/// One deploy notification, posted as JSON to every `--notify` URL:
/// `{"event", "service", "deployId", "revision", "time", "text", ...specifics}`.
public struct NotificationEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case syncApplied = "sync.applied"
        case revisionRejected = "revision.rejected"
        case deployStarted = "deploy.started"
        case canaryWaiting = "canary.waitingForPromotion"
        case deploySucceeded = "deploy.succeeded"
        case deployFailed = "deploy.failed"
        case taskFailed = "task.failed"
        case taskOOMKilled = "task.oomKilled"
        case taskLost = "task.lost"
    }

    public var kind: Kind
    /// Nil for controller-wide events (syncs).
    public var service: String?
    public var deployId: String?
    public var revision: String?
    public var time: Date
    /// One line for humans (Slack-style incoming webhooks show it as is).
    public var text: String
    /// Event-specific members, in order.
    public var details: [(String, APIJSON)]

    public init(kind: Kind, service: String?, deployId: String?, revision: String?, time: Date, text: String,
                details: [(String, APIJSON)] = []) {
        self.kind = kind
        self.service = service
        self.deployId = deployId
        self.revision = revision
        self.time = time
        self.text = text
        self.details = details
    }

    public static func == (lhs: NotificationEvent, rhs: NotificationEvent) -> Bool {
        lhs.json == rhs.json
    }

    public var json: APIJSON {
        .object([
            ("event", .string(kind.rawValue)),
            ("service", .optional(service)),
            ("deployId", .optional(deployId)),
            ("revision", .optional(revision)),
            ("time", .date(time)),
            ("text", .string(text)),
        ] + details)
    }

    /// The request body: compact JSON and a newline (the signature covers exactly these bytes).
    public var body: [UInt8] { json.bytes() }
}
