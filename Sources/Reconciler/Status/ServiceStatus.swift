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
    /// Running instances of any deploy.
    public var runningInstances: Int
    /// Healthy running instances of any deploy: what serves traffic now.
    public var healthyInstances: Int
    /// Running instances of the target deploy (`deployId`).
    public var updatedInstances: Int
    /// Healthy running instances of the target deploy.
    public var updatedHealthyInstances: Int
    public var sync: SyncStatus
    public var syncReason: String?
    public var health: HealthStatus
    public var healthReason: String?
    /// The current deploy's canary, when it has one.
    public var canary: CanaryStatus?
    public var owners: [String]
    public var labels: [String: String]
    /// Job kinds: the newest run.
    public var lastRun: JobRun?
    /// Scheduled: the next cron fire, in the schedule's time zone.
    public var nextRun: Date?
    /// Where the desired manifest document starts (repository-relative file), nil when not desired.
    public var sourceFile: String?
    public var sourceLine: Int?

    public init(name: String, desired: Workload?, service: ServiceSnapshot?, now: Date) {
        let workload = service?.workload ?? desired
        self.name = name
        self.kind = workload?.kind.rawValue ?? ""
        let target = service?.currentDeployID ?? desired?.deployId ?? ""
        self.deployId = target
        self.desiredInstances = service?.effectiveInstances ?? desired?.spec.instances ?? 0
        let running = (service?.tasks ?? []).filter { $0.isActive && $0.state == .running }
        self.runningInstances = running.count
        self.healthyInstances = running.filter(\.isHealthy).count
        self.updatedInstances = running.filter { $0.deployID == target }.count
        self.updatedHealthyInstances = running.filter { $0.deployID == target && $0.isHealthy }.count
        (sync, syncReason) = SyncStatus.evaluate(desired: desired, service: service, now: now)
        (health, healthReason) = HealthStatus.evaluate(desired: desired, service: service, now: now)
        canary = service?.canary
        let metadata = (desired ?? workload)?.metadata
        self.owners = metadata?.owners ?? []
        self.labels = metadata?.labels ?? [:]
        let isJob = workload?.kind.isJob == true
        self.lastRun = isJob ? service?.jobRuns.last : nil
        self.nextRun = isJob ? Self.nextRun(desired: desired ?? workload, service: service, now: now) : nil
        self.sourceFile = desired?.source.file
        self.sourceLine = desired?.source.line
    }

    /// The core's next fire when it has one still ahead, else the desired schedule's next fire after `now`.
    static func nextRun(desired: Workload?, service: ServiceSnapshot?, now: Date) -> Date? {
        if let fire = service?.nextFire, fire > now { return fire }
        guard let spec = desired?.spec, desired?.kind == .scheduled, let schedule = spec.schedule,
              let zone = TimeZone(identifier: spec.timeZone)
        else { return nil }
        return schedule.nextFire(after: now, in: zone)
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
