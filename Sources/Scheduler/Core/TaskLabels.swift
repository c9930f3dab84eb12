import Mesos

/// The labels every task Converge launches carries, so that the actual state can be rebuilt from the
/// master alone (`/master/state`) after a restart.
public enum TaskLabels {
    public static let service = "converge.service"
    public static let deploy = "converge.deploy"
    public static let instance = "converge.instance"
    public static let commit = "converge.commit"
    /// The workload kind (Service, Worker, Scheduled, OnDemand, RunOnce).
    public static let kind = "converge.kind"
    /// The workload's request hash when launched.
    public static let request = "converge.request"
    /// Job runs: the fire time (Unix seconds) and the attempt.
    public static let fireTime = "converge.fire-time"
    public static let attempt = "converge.attempt"
}
