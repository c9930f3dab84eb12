import Foundation
import Manifests
import Scheduler

/// One service as the status API and `converge status` show it: counts, sync and health with reasons.
public struct ServiceStatus: Sendable, Hashable {
    public var name: String
    public var kind: String
    /// The deploy the core works toward, else the desired one.
    public var deployId: String
    /// What the core works toward (overrides included), else the desired count.
    public var desiredInstances: Int
    public var runningInstances: Int
    public var healthyInstances: Int
    public var sync: SyncStatus
    public var syncReason: String?
    public var health: HealthStatus
    public var healthReason: String?
    /// The current deploy's canary, when it has one.
    public var canary: CanaryStatus?

    public init(name: String, desired: Workload?, service: ServiceSnapshot?, now: Date) {
        let workload = service?.workload ?? desired
        self.name = name
        self.kind = workload?.kind.rawValue ?? ""
        self.deployId = service?.currentDeployID ?? desired?.deployId ?? ""
        self.desiredInstances = service?.effectiveInstances ?? desired?.spec.instances ?? 0
        self.runningInstances = service?.runningCount ?? 0
        self.healthyInstances = service?.healthyCount ?? 0
        (sync, syncReason) = SyncStatus.evaluate(desired: desired, service: service, now: now)
        (health, healthReason) = HealthStatus.evaluate(desired: desired, service: service, now: now)
        canary = service?.canary
    }
}

extension ControllerState {
    /// Every service desired or known to the core, sorted by name.
    public func serviceStatuses(now: Date) -> [ServiceStatus] {
        serviceNames.map { ServiceStatus(name: $0, desired: desired[$0], service: core.services[$0], now: now) }
    }

    /// The status of one service, or nil when neither desired nor known to the core.
    public func serviceStatus(named name: String, now: Date) -> ServiceStatus? {
        guard desired[name] != nil || core.services[name] != nil else { return nil }
        return ServiceStatus(name: name, desired: desired[name], service: core.services[name], now: now)
    }

    /// Names desired or known to the core, sorted.
    var serviceNames: [String] {
        Set(desired.keys).union(core.services.keys).sorted()
    }
}
