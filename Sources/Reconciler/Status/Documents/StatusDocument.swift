import Foundation
import Scheduler

/// `GET /api/v1/status`: the controller's source, revisions, last sync and framework connection.
public struct StatusDocument: Decodable, Sendable, Equatable {
    public struct LastSync: Decodable, Sendable, Equatable {
        public var revision: String?
        public var at: Date
        public var outcome: String
        public var message: String
    }

    public struct Framework: Decodable, Sendable, Equatable {
        public var id: String?
        public var connected: Bool
    }

    /// The applied revision (in force on the cluster).
    public var revision: String?
    public var branch: String?
    public var path: String?
    public var repository: String
    public var latestRevision: String?
    public var lastSync: LastSync?
    public var ready: Bool
    public var framework: Framework

    public init(_ state: ControllerState) {
        revision = state.appliedRevision
        branch = state.source.ref
        path = state.source.path
        repository = state.source.repository
        latestRevision = state.latestRevision
        lastSync = state.lastSync.map {
            LastSync(revision: $0.revision, at: $0.finishedAt ?? $0.startedAt, outcome: $0.outcome.rawValue, message: $0.message)
        }
        ready = state.ready
        framework = Framework(id: state.core.frameworkID, connected: state.core.connection == .subscribed)
    }

    public var json: APIJSON {
        .object([
            ("revision", .optional(revision)),
            ("branch", .optional(branch)),
            ("path", .optional(path)),
            ("repository", .string(repository)),
            ("latestRevision", .optional(latestRevision)),
            ("lastSync", lastSync.map { sync in
                .object([
                    ("revision", .optional(sync.revision)),
                    ("at", .date(sync.at)),
                    ("outcome", .string(sync.outcome)),
                    ("message", .string(sync.message)),
                ])
            } ?? .null),
            ("ready", .bool(ready)),
            ("framework", .object([("id", .optional(framework.id)), ("connected", .bool(framework.connected))])),
        ])
    }
}
