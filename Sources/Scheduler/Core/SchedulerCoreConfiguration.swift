import Foundation
import Logging
import Mesos

/// How the core talks to Mesos and paces itself.
public struct SchedulerCoreConfiguration: Sendable {
    public var client: MesosClientConfiguration
    public var frameworkName: String
    /// The Unix user tasks run as when a workload names none.
    public var user: String
    public var role: String
    /// How long Mesos keeps the framework's tasks while the scheduler is away (default one week).
    public var failoverTimeoutSeconds: Double
    /// `refuse_seconds` of declined offers.
    public var refuseSeconds: Double
    /// Period of explicit plus implicit reconciliation after the first.
    public var reconcileIntervalSeconds: Double
    /// A task without a health check counts as healthy after running this long.
    public var settleSeconds: Double
    public var backoff: BackoffPolicy
    /// Agents decommissioning at once.
    public var maxConcurrentDecommissions: Int
    /// Terminal tasks kept in snapshots per service (history lives in the state store).
    public var endedTasksKept: Int
    public var logger: Logger
    /// The first reconciliation after subscribing is trusted at the latest after this long.
    public var reconcileTimeoutSeconds: Double = 15
    /// After every explicitly reconciled task answered, wait this long for implicit answers.
    public var reconcileSettleSeconds: Double = 1
    /// Pause before a failed job run is retried.
    public var jobRetryDelaySeconds: Double = 10
    /// A kill without a terminal update this long after its grace period is sent again.
    public var killResendSeconds: Double = 15
    /// OnDemand triggers waiting for a free run slot (beyond: `trigger` throws).
    public var triggerQueueLimit: Int = 0
    /// The Converge executor tasks run under (`--executor`); nil: Mesos' command executor.
    public var executor: ExecutorConfiguration? = nil

    public init(client: MesosClientConfiguration, frameworkName: String = "converge", user: String = ProcessInfo.processInfo.userName,
                role: String = "*", failoverTimeoutSeconds: Double = 7 * 86_400, refuseSeconds: Double = 5,
                reconcileIntervalSeconds: Double = 600, settleSeconds: Double = TaskLifecycle.defaultSettleSeconds,
                backoff: BackoffPolicy = .standard, maxConcurrentDecommissions: Int = 1, endedTasksKept: Int = 20,
                logger: Logger = Logger(label: "converge.scheduler")) {
        self.client = client
        self.frameworkName = frameworkName
        self.user = user
        self.role = role
        self.failoverTimeoutSeconds = failoverTimeoutSeconds
        self.refuseSeconds = refuseSeconds
        self.reconcileIntervalSeconds = reconcileIntervalSeconds
        self.settleSeconds = settleSeconds
        self.backoff = backoff
        self.maxConcurrentDecommissions = maxConcurrentDecommissions
        self.endedTasksKept = endedTasksKept
        self.logger = logger
    }
}
