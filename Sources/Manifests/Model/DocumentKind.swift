/// The `kind` of a manifest document.
public enum DocumentKind: String, Sendable, Hashable, CaseIterable {
    case service = "Service"
    case worker = "Worker"
    case scheduled = "Scheduled"
    case onDemand = "OnDemand"
    case runOnce = "RunOnce"
    case defaults = "Defaults"
    case maintenance = "Maintenance"

    /// The workload kind, or nil for Defaults and Maintenance.
    var workloadKind: WorkloadKind? { WorkloadKind(rawValue: rawValue) }
}

/// The kinds of documents that describe something to run (they follow Singularity's request types).
public enum WorkloadKind: String, Sendable, Hashable, CaseIterable {
    /// Long-running, health-checked, gets ports; replaced when it exits.
    case service = "Service"
    /// Long-running without ports or HTTP/TCP checks (queue consumers).
    case worker = "Worker"
    /// Runs on a cron schedule in a time zone.
    case scheduled = "Scheduled"
    /// Deployed, but runs only when triggered; `instances` caps concurrent runs.
    case onDemand = "OnDemand"
    /// Runs exactly once per deploy.
    case runOnce = "RunOnce"

    /// Long-running kinds (Service, Worker) as opposed to job kinds.
    public var isLongRunning: Bool { self == .service || self == .worker }
    /// Job kinds: Scheduled, OnDemand, RunOnce (they have retries and a time limit).
    public var isJob: Bool { !isLongRunning }
}
