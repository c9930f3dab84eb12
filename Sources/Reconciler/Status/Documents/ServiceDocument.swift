import Foundation
import Scheduler

/// One entry of `GET /api/v1/services`.
public struct ServiceDocument: Decodable, Sendable, Equatable {
    public struct Instances: Decodable, Sendable, Equatable {
        public var desired: Int
        public var running: Int
        public var healthy: Int
    }

    public var name: String
    public var kind: String
    public var deployId: String
    public var instances: Instances
    public var sync: SyncStatus
    public var health: HealthStatus
    /// Present while the current deploy has a canary.
    public var canary: CanaryDocument?

    public init(_ status: ServiceStatus, now: Date = Date()) {
        name = status.name
        kind = status.kind
        deployId = status.deployId
        instances = Instances(desired: status.desiredInstances, running: status.runningInstances, healthy: status.healthyInstances)
        sync = status.sync
        health = status.health
        canary = status.canary.map { CanaryDocument($0, now: now) }
    }

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
            ])),
            ("sync", .string(sync.rawValue)),
            ("health", .string(health.rawValue)),
        ] + (canary.map { [("canary", $0.json)] } ?? [])
    }
}
