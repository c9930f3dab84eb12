import Foundation
import Scheduler

/// One audit log entry as `GET /api/v1/audit` shows it.
public struct AuditEntryDocument: Decodable, Sendable, Equatable {
    public var id: Int64
    public var time: Date
    public var actor: String
    public var action: String
    public var service: String?
    public var remoteAddress: String
    public var status: Int
    public var message: String

    public init(_ entry: AuditEntry) {
        id = entry.id
        time = entry.time
        actor = entry.actor
        action = entry.action
        service = entry.service
        remoteAddress = entry.remoteAddress
        status = entry.status
        message = entry.message
    }

    public var json: APIJSON {
        .object([
            ("id", .int(Int(id))),
            ("time", .date(time)),
            ("actor", .string(actor)),
            ("action", .string(action)),
            ("service", .optional(service)),
            ("remoteAddress", .string(remoteAddress)),
            ("status", .int(status)),
            ("message", .string(message)),
        ])
    }
}
