import Foundation

/// One entry of `GET /api/v1/history` (newest first), also the answer of `POST /api/v1/sync`.
public struct SyncRecordDocument: Decodable, Sendable, Equatable {
    public struct Summary: Decodable, Sendable, Equatable {
        public var create: Int
        public var deploy: Int
        public var scale: Int
        public var update: Int
        public var delete: Int
        public var decommission: Int
        public var recommission: Int
    }

    public var id: Int
    public var revision: String?
    public var trigger: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var outcome: String
    public var message: String
    public var summary: Summary?
    public var errors: [String]

    public init(_ record: SyncRecord) {
        id = record.id
        revision = record.revision
        trigger = record.trigger.rawValue
        startedAt = record.startedAt
        finishedAt = record.finishedAt
        outcome = record.outcome.rawValue
        message = record.message
        summary = record.summary.map {
            Summary(create: $0.create, deploy: $0.deploy, scale: $0.scale, update: $0.update, delete: $0.delete,
                    decommission: $0.decommission, recommission: $0.recommission)
        }
        errors = record.errors
    }

    public var json: APIJSON {
        .object([
            ("id", .int(id)),
            ("revision", .optional(revision)),
            ("trigger", .string(trigger)),
            ("startedAt", .date(startedAt)),
            ("finishedAt", .optional(finishedAt)),
            ("outcome", .string(outcome)),
            ("message", .string(message)),
            ("summary", summary.map { s in
                .object([
                    ("create", .int(s.create)), ("deploy", .int(s.deploy)), ("scale", .int(s.scale)),
                    ("update", .int(s.update)), ("delete", .int(s.delete)),
                    ("decommission", .int(s.decommission)), ("recommission", .int(s.recommission)),
                ])
            } ?? .null),
            ("errors", .array(errors.map(APIJSON.string))),
        ])
    }
}
