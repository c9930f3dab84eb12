import Foundation
import Scheduler

/// `GET /api/v1/services/{name}`: the list entry plus reasons, tasks, deploys, overrides and job runs.
/// Task environments are never part of it.
public struct ServiceDetailDocument: Decodable, Sendable, Equatable {
    public struct Task: Decodable, Sendable, Equatable {
        public var id: String
        public var deployId: String
        public var instance: Int
        public var host: String
        public var ports: [Int]
        public var state: String
        public var healthy: Bool
        public var message: String?
        public var launchedAt: Date
    }

    public struct Deploy: Decodable, Sendable, Equatable {
        public var id: String
        public var revision: String?
        public var state: String
        public var startedAt: Date
        public var endedAt: Date?
        public var reason: String?
    }

    public struct OverrideEntry: Decodable, Sendable, Equatable {
        public var kind: String
        public var value: Int?
        public var reason: String
        public var createdAt: Date
        public var expiresAt: Date?
    }

    public struct Run: Decodable, Sendable, Equatable {
        public var taskId: String
        public var attempt: Int
        public var startedAt: Date
        public var endedAt: Date?
        public var outcome: String
    }

    /// Where the manifest document is: repository-relative file, line, and the applied commit.
    public struct Source: Decodable, Sendable, Equatable {
        public var file: String
        public var line: Int
        public var revision: String?
    }

    public var name: String
    public var kind: String
    public var deployId: String
    public var instances: ServiceDocument.Instances
    public var sync: SyncStatus
    public var health: HealthStatus
    public var canary: CanaryDocument?
    public var owners: [String]
    public var labels: [String: String]
    public var lastRun: ServiceDocument.LastRun?
    public var source: Source?
    public var syncReason: String?
    public var healthReason: String?
    public var tasks: [Task]
    public var deploys: [Deploy]
    public var overrides: [OverrideEntry]
    public var pendingReason: String?
    public var runs: [Run]
    public var nextRun: Date?

    public init(_ status: ServiceStatus, service: ServiceSnapshot?, revision: String?, now: Date) {
        let summary = ServiceDocument(status)
        name = summary.name
        kind = summary.kind
        deployId = summary.deployId
        instances = summary.instances
        sync = summary.sync
        health = summary.health
        owners = summary.owners
        labels = summary.labels
        lastRun = summary.lastRun
        source = status.sourceFile.map { Source(file: $0, line: status.sourceLine ?? 1, revision: revision) }
        canary = status.canary.map { CanaryDocument($0, now: now) }
        syncReason = status.syncReason
        healthReason = status.healthReason
        let records = (service?.tasks ?? []).sorted {
            ($0.slot.instance, $0.launchedAt, $0.taskID) < ($1.slot.instance, $1.launchedAt, $1.taskID)
        }
        tasks = records.map {
            Task(id: $0.taskID, deployId: $0.deployID, instance: $0.slot.instance, host: $0.hostname, ports: $0.ports,
                 state: $0.state.rawValue, healthy: $0.isHealthy, message: $0.lastMessage, launchedAt: $0.launchedAt)
        }
        deploys = (service?.deploys ?? []).map {
            Deploy(id: $0.deployID, revision: $0.revision, state: $0.outcome.rawValue, startedAt: $0.startedAt,
                   endedAt: $0.endedAt, reason: $0.reason)
        }
        overrides = (service?.overrides ?? []).activeOverrides(now: now).map {
            OverrideEntry(kind: $0.kind.rawValue, value: $0.value, reason: $0.reason, createdAt: $0.createdAt, expiresAt: $0.expiresAt)
        }
        pendingReason = service?.pendingReason
        runs = (service?.jobRuns ?? []).map {
            Run(taskId: $0.taskID, attempt: $0.attempt, startedAt: $0.startedAt, endedAt: $0.endedAt, outcome: $0.outcome.rawValue)
        }
        nextRun = status.nextRun
    }

    public var json: APIJSON {
        let summary = ServiceDocument(name: name, kind: kind, deployId: deployId, instances: instances, sync: sync, health: health,
                                      owners: owners, labels: labels, lastRun: lastRun, nextRun: nextRun,
                                      canary: canary)
        return .object(summary.members.filter { $0.0 != "nextRun" } + [
            ("source", source.map { source in
                .object([("file", .string(source.file)), ("line", .int(source.line)), ("revision", .optional(source.revision))])
            } ?? .null),
            ("syncReason", .optional(syncReason)),
            ("healthReason", .optional(healthReason)),
            ("tasks", .array(tasks.map { task in
                .object([
                    ("id", .string(task.id)),
                    ("deployId", .string(task.deployId)),
                    ("instance", .int(task.instance)),
                    ("host", .string(task.host)),
                    ("ports", .array(task.ports.map(APIJSON.int))),
                    ("state", .string(task.state)),
                    ("healthy", .bool(task.healthy)),
                    ("message", .optional(task.message)),
                    ("launchedAt", .date(task.launchedAt)),
                ])
            })),
            ("deploys", .array(deploys.map { deploy in
                .object([
                    ("id", .string(deploy.id)),
                    ("revision", .optional(deploy.revision)),
                    ("state", .string(deploy.state)),
                    ("startedAt", .date(deploy.startedAt)),
                    ("endedAt", .optional(deploy.endedAt)),
                    ("reason", .optional(deploy.reason)),
                ])
            })),
            ("overrides", .array(overrides.map { entry in
                .object([
                    ("kind", .string(entry.kind)),
                    ("value", .optional(entry.value)),
                    ("reason", .string(entry.reason)),
                    ("createdAt", .date(entry.createdAt)),
                    ("expiresAt", .optional(entry.expiresAt)),
                ])
            })),
            ("pendingReason", .optional(pendingReason)),
            ("runs", .array(runs.map { run in
                .object([
                    ("taskId", .string(run.taskId)),
                    ("attempt", .int(run.attempt)),
                    ("startedAt", .date(run.startedAt)),
                    ("endedAt", .optional(run.endedAt)),
                    ("outcome", .string(run.outcome)),
                ])
            })),
            ("nextRun", .optional(nextRun)),
        ])
    }
}

extension ServiceDocument {
    init(name: String, kind: String, deployId: String, instances: Instances, sync: SyncStatus, health: HealthStatus,
         owners: [String], labels: [String: String], lastRun: LastRun?, nextRun: Date?, canary: CanaryDocument? = nil) {
        self.canary = canary
        self.name = name
        self.kind = kind
        self.deployId = deployId
        self.instances = instances
        self.sync = sync
        self.health = health
        self.owners = owners
        self.labels = labels
        self.lastRun = lastRun
        self.nextRun = nextRun
    }
}
