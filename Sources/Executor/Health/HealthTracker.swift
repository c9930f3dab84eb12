import Mesos

/// Turns health check results into what the command executor reports: a TASK_RUNNING update when `healthy`
/// changes, and a kill after `consecutive_failures` failures. Failures inside the grace period (counted from the
/// task's start, until the first success) do not count.
struct HealthTracker: Sendable {
    enum Outcome: Equatable, Sendable {
        case unchanged
        case changed(healthy: Bool)
        /// Report unhealthy (if not yet) and kill the task.
        case kill
    }

    let consecutiveFailures: UInt32
    let gracePeriodSeconds: Double
    private(set) var healthy: Bool?
    private(set) var failures: UInt32 = 0
    private var everHealthy = false

    init(_ check: HealthCheck) {
        consecutiveFailures = max(1, check.effectiveConsecutiveFailures)
        gracePeriodSeconds = check.effectiveGracePeriodSeconds
    }

    mutating func record(passed: Bool, secondsSinceStart: Double) -> Outcome {
        if passed {
            failures = 0
            everHealthy = true
            return set(true)
        }
        if !everHealthy && secondsSinceStart < gracePeriodSeconds { return .unchanged }
        failures += 1
        if failures >= consecutiveFailures {
            healthy = false
            return .kill
        }
        return set(false)
    }

    private mutating func set(_ value: Bool) -> Outcome {
        guard healthy != value else { return .unchanged }
        healthy = value
        return .changed(healthy: value)
    }
}
