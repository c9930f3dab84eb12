/// `spec.healthCheck`. Defaults: intervalSeconds 5, timeoutSeconds 2, gracePeriodSeconds 30,
/// consecutiveFailures 3.
public struct HealthCheck: Sendable, Hashable {
    public enum Probe: Sendable, Hashable {
        /// GET `path` on the allocated port with index `port`; healthy on 2xx.
        case http(path: String, port: Int)
        /// Connect to the allocated port with index `port`.
        case tcp(port: Int)
        /// Run a command in the task's sandbox; healthy on exit 0.
        case command(Command)
    }

    public var probe: Probe
    public var intervalSeconds: Int
    public var timeoutSeconds: Int
    public var gracePeriodSeconds: Int
    public var consecutiveFailures: Int

    public init(
        probe: Probe, intervalSeconds: Int = 5, timeoutSeconds: Int = 2, gracePeriodSeconds: Int = 30,
        consecutiveFailures: Int = 3
    ) {
        self.probe = probe
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds
        self.gracePeriodSeconds = gracePeriodSeconds
        self.consecutiveFailures = consecutiveFailures
    }
}
