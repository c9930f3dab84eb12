import Foundation
import GRDB

/// One write on the controller's API, allowed or refused: who, what, on which service, when, from where,
/// and how it ended. Holds no secret (no token, no request body).
public struct AuditEntry: Sendable, Hashable {
    /// Assigned by the log when appended (0 before).
    public var id: Int64
    public var time: Date
    /// The token's name (`token-file` for the legacy single token); `anonymous` without valid credentials,
    /// `webhook` for signed deliveries.
    public var actor: String
    /// `scale`, `pause`, `resume`, `bounce`, `trigger`, `override.delete`, `sync`, `webhook`, ...
    public var action: String
    public var service: String?
    /// The client's address as the controller saw it (`127.0.0.1:51234`).
    public var remoteAddress: String
    /// The HTTP status answered.
    public var status: Int
    /// What happened, or why it was refused.
    public var message: String

    public init(id: Int64 = 0, time: Date, actor: String, action: String, service: String?, remoteAddress: String,
                status: Int, message: String) {
        self.id = id
        self.time = time
        self.actor = actor
        self.action = action
        self.service = service
        self.remoteAddress = remoteAddress
        self.status = status
        self.message = message
    }

    public var allowed: Bool { (200..<300).contains(status) }

    init(row: Row) {
        self.init(id: row["id"], time: Date(timeIntervalSince1970: row["time"]), actor: row["actor"], action: row["action"],
                  service: row["service"], remoteAddress: row["remote_address"], status: row["status"], message: row["message"])
    }
}

/// Where audit entries go: the SQLite state store by default (a ZooKeeper-backed store under HA can
/// implement the same two calls).
public protocol AuditLog: Sendable {
    /// Appends an entry; returns it with its id.
    @discardableResult
    func appendAudit(_ entry: AuditEntry) throws -> AuditEntry
    /// Newest first; only `service`'s when given.
    func auditEntries(service: String?, limit: Int) throws -> [AuditEntry]
}
