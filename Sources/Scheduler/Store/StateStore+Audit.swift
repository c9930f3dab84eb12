import Foundation
import GRDB

extension StateStore: AuditLog {
    /// Entries kept; older ones are deleted as new ones arrive.
    public static let auditRetention: Int64 = 10_000

    @discardableResult
    public func appendAudit(_ entry: AuditEntry) throws -> AuditEntry {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO audit_log (time, actor, action, service, remote_address, status, message) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [entry.time.timeIntervalSince1970, entry.actor, entry.action, entry.service, entry.remoteAddress,
                                 entry.status, entry.message])
            var stored = entry
            stored.id = db.lastInsertedRowID
            try db.execute(sql: "DELETE FROM audit_log WHERE id <= ?", arguments: [stored.id - Self.auditRetention])
            return stored
        }
    }

    public func auditEntries(service: String?, limit: Int) throws -> [AuditEntry] {
        try queue.read { db in
            if let service {
                return try Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE service = ? ORDER BY id DESC LIMIT ?",
                                        arguments: [service, limit]).map(AuditEntry.init(row:))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", arguments: [limit]).map(AuditEntry.init(row:))
        }
    }
}
