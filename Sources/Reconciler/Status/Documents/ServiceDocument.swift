import Foundation
import Scheduler

/// One entry of `GET /api/v1/services`.
public struct ServiceDocument: Decodable, Sendable, Equatable {
    public struct Instances: Decodable, Sendable, Equatable {
        /// What the core works toward (overrides included).
        public var desired: Int
        /// Running instances of any deploy.
        public var running: Int
        /// Healthy running instances of any deploy: what serves traffic now.
        public var healthy: Int
        /// Running instances of the target deploy.
        public var updated: Int
        /// Healthy running instances of the target deploy.
        public var updatedHealthy: Int

        public init(desired: Int, running: Int, healthy: Int, updated: Int, updatedHealthy: Int) {
            self.desired = desired
            self.running = running
            self.healthy = healthy
            self.updated = updated
            self.updatedHealthy = updatedHealthy
        }
    }

    /// A job's newest run.
    public struct LastRun: Decodable, Sendable, Equatable {
        public var taskId: String
        public var startedAt: Date
        public var endedAt: Date?
        /// running, succeeded or failed.
        public var outcome: String
    }

    public var name: String
    public var kind: String
    public var deployId: String
    public var instances: Instances
    public var sync: SyncStatus
    public var health: HealthStatus
    /// Present while the current deploy has a canary.
    public var canary: CanaryDocument?
    public var owners: [String]
    public var labels: [String: String]
    /// Job kinds only (null otherwise or before the first run).
    public var lastRun: LastRun?
    /// Scheduled only: the next cron fire in the schedule's time zone.
    public var nextRun: Date?

    public init(_ status: ServiceStatus, now: Date = Date()) {
        name = status.name
        kind = status.kind
        deployId = status.deployId
        instances = Instances(status)
        sync = status.sync
        health = status.health
        canary = status.canary.map { CanaryDocument($0, now: now) }
        owners = status.owners
        labels = status.labels
        lastRun = status.lastRun.map {
            LastRun(taskId: $0.taskID, startedAt: $0.startedAt, endedAt: $0.endedAt, outcome: $0.outcome.rawValue)
        }
        nextRun = status.nextRun
    }

    /// Whether the kind runs to completion (Scheduled, OnDemand, RunOnce) rather than staying up.
    public var isJob: Bool { ["Scheduled", "OnDemand", "RunOnce"].contains(kind) }

    public var json: APIJSON { .object(members) }

    var members: [(String, APIJSON)] {
        [
            ("name", .string(name)),
            ("kind", .string(kind)),
            ("deployId", .string(deployId)),
            ("instances", .object([
                ("desired", .int(instances.desired)),
                ("running", .int(instances.running)),
                ("healthy", .int(instances.healthy)),
                ("updated", .int(instances.updated)),
                ("updatedHealthy", .int(instances.updatedHealthy)),
            ])),
            ("sync", .string(sync.rawValue)),
            ("health", .string(health.rawValue)),
            ("owners", .array(owners.map(APIJSON.string))),
            ("labels", .object(labels.sorted { $0.key < $1.key }.map { ($0.key, APIJSON.string($0.value)) })),
            ("lastRun", lastRun.map { run in
                .object([
                    ("taskId", .string(run.taskId)),
                    ("startedAt", .date(run.startedAt)),
                    ("endedAt", .optional(run.endedAt)),
                    ("outcome", .string(run.outcome)),
                ])
            } ?? .null),
            ("nextRun", .optional(nextRun)),
        ] + (canary.map { [("canary", $0.json)] } ?? [])
    }
}

extension ServiceDocument.Instances {
    init(_ status: ServiceStatus) {
        self.init(desired: status.desiredInstances, running: status.runningInstances, healthy: status.healthyInstances,
                  updated: status.updatedInstances, updatedHealthy: status.updatedHealthyInstances)
    }
}
