/// A workload's fully resolved `spec`: Defaults applied, every omitted field filled in.
///
/// Defaults for omitted fields: instances 1; env empty; resources see `Resources`; no artifacts,
/// container or health check; deploy and placement see their types; timeZone "UTC"; retries 0;
/// no time limit; user unset (the agent's default); executor converge; logs see `LogSettings`.
public struct WorkloadSpec: Sendable, Hashable {
    public var instances: Int
    /// Nil only when a container supplies its own entrypoint.
    public var command: Command?
    public var env: [String: String]
    public var resources: Resources
    public var artifacts: [Artifact]
    public var container: Container?
    public var healthCheck: HealthCheck?
    public var deploy: DeploySettings
    public var placement: Placement
    /// Scheduled only.
    public var schedule: CronExpression?
    /// IANA identifier; meaningful for Scheduled only.
    public var timeZone: String
    /// Job kinds only.
    public var retries: Int
    /// Job kinds only; nil means no limit.
    public var timeLimitSeconds: Int?
    public var user: String?
    public var executor: ExecutorChoice
    public var logs: LogSettings

    public init(
        instances: Int = 1, command: Command? = nil, env: [String: String] = [:],
        resources: Resources = Resources(cpus: 0.1, memoryMb: 128, diskMb: 0, ports: 0),
        artifacts: [Artifact] = [], container: Container? = nil, healthCheck: HealthCheck? = nil,
        deploy: DeploySettings = DeploySettings(), placement: Placement = Placement(),
        schedule: CronExpression? = nil, timeZone: String = "UTC", retries: Int = 0,
        timeLimitSeconds: Int? = nil, user: String? = nil, executor: ExecutorChoice = .converge,
        logs: LogSettings = LogSettings()
    ) {
        self.executor = executor
        self.logs = logs
        self.instances = instances
        self.command = command
        self.env = env
        self.resources = resources
        self.artifacts = artifacts
        self.container = container
        self.healthCheck = healthCheck
        self.deploy = deploy
        self.placement = placement
        self.schedule = schedule
        self.timeZone = timeZone
        self.retries = retries
        self.timeLimitSeconds = timeLimitSeconds
        self.user = user
    }
}
