/// A `spec` as written in one document: every field optional and located, so Defaults can be merged
/// field-wise and every error still points at the line where the value was written.
struct PartialSpec: Sendable, Hashable {
    var instances: Located<Int>?
    var command: Located<Command>?
    var env: [String: Located<String>]?
    var resources = PartialResources()
    var artifacts: Located<[Located<Artifact>]>?
    var container: PartialContainer?
    var healthCheck: PartialHealthCheck?
    var deploy = PartialDeploy()
    var placement = PartialPlacement()
    var schedule: Located<String>?
    var timeZone: Located<String>?
    var retries: Located<Int>?
    var timeLimitSeconds: Located<Int>?
    var user: Located<String>?
    var executor: Located<ExecutorChoice>?
    var logs = PartialLogs()
}

struct PartialLogs: Sendable, Hashable {
    var maxSizeMb: Located<Int>?
    var keep: Located<Int>?
    var compress: Located<Bool>?
}

struct PartialResources: Sendable, Hashable {
    var cpus: Located<Double>?
    var memoryMb: Located<Int>?
    var diskMb: Located<Int>?
    var ports: Located<Int>?
    var memorySoftLimit: Located<Double>?
}

struct PartialContainer: Sendable, Hashable {
    var location: SourceLocation
    var docker: PartialDocker?
}

struct PartialDocker: Sendable, Hashable {
    var location: SourceLocation
    var image: Located<String>?
    var network: Located<DockerContainer.Network>?
    var forcePullImage: Located<Bool>?
    var privileged: Located<Bool>?
    var parameters: [String: Located<String>]?
    var portMappings: Located<[Located<DockerContainer.PortMapping>]>?
    var volumes: Located<[Located<DockerContainer.Volume>]>?
}

struct PartialHealthCheck: Sendable, Hashable {
    var location: SourceLocation
    /// http, tcp or command: replaced as a whole by a nearer document.
    var probe: Located<HealthCheck.Probe>?
    /// Where the probe's port index was written (http and tcp).
    var probePortLocation: SourceLocation?
    var intervalSeconds: Located<Int>?
    var timeoutSeconds: Located<Int>?
    var gracePeriodSeconds: Located<Int>?
    var consecutiveFailures: Located<Int>?
}

struct PartialDeploy: Sendable, Hashable {
    var stepSize: Located<Int>?
    var stepWaitSeconds: Located<Int>?
    var healthyDeadlineSeconds: Located<Int>?
    var killGraceSeconds: Located<Int>?
    var canary: PartialCanary?
}

struct PartialCanary: Sendable, Hashable {
    var location: SourceLocation
    var instances: Located<Int>?
    var holdSeconds: Located<Int>?
    var autoPromote: Located<Bool>?
}

struct PartialPlacement: Sendable, Hashable {
    var spread: Located<Placement.Spread>?
    var rackSensitive: Located<Bool>?
    var requiredAttributes: [String: Located<String>]?
    var allowedAttributes: [String: Located<[String]>]?
}

/// `metadata` as written.
struct PartialMetadata: Sendable, Hashable {
    var name: Located<String>?
    var owners: Located<[String]>?
    var labels: [String: Located<String>]?
}
