import Foundation

/// The per-task state machine: STAGING -> STARTING -> RUNNING -> healthy, then an end.
///
/// - Terminal states are final: later updates (duplicates, reconciliation answers racing a kill) change nothing.
/// - Progress never goes back (a late STAGING after RUNNING is ignored), except that a task reported
///   UNREACHABLE may come back RUNNING when its agent's partition heals.
/// - Healthy: `TaskStatus.healthy == true` for tasks with a check (false clears it); without a check, running
///   for `settleSeconds`.
public enum TaskLifecycle {
    /// How long a task without a health check must run before it counts as healthy.
    public static let defaultSettleSeconds: Double = 5

    public static func apply(_ update: TaskUpdate, to record: TaskRecord, settleSeconds: Double = defaultSettleSeconds) -> TaskRecord {
        var next = record
        guard !record.state.isTerminal else { return record }
        if let message = update.message, !message.isEmpty { next.lastMessage = message }
        if let reason = update.reason { next.lastReason = reason }
        if update.state.isTerminal || rank(update.state) >= rank(record.state) || record.state == .unreachable {
            next.state = update.state
        }
        if next.state == .running, next.runningSince == nil { next.runningSince = update.timestamp }
        if next.state != .running {
            next.healthySince = nil
        } else if record.hasHealthCheck {
            if let healthy = update.healthy {
                next.healthReported = healthy
                next.healthySince = healthy ? (record.healthySince ?? update.timestamp) : nil
            }
        }
        return settle(next, now: update.timestamp, settleSeconds: settleSeconds)
    }

    /// Marks a task without a health check healthy once it has run long enough; call on every tick.
    public static func settle(_ record: TaskRecord, now: Date, settleSeconds: Double = defaultSettleSeconds) -> TaskRecord {
        guard !record.hasHealthCheck, record.state == .running, record.healthySince == nil,
              let since = record.runningSince, now.timeIntervalSince(since) >= settleSeconds else { return record }
        var next = record
        next.healthySince = since.addingTimeInterval(settleSeconds)
        return next
    }

    /// When a task without a check will count as healthy (for the driver's next tick), or nil.
    public static func settlesAt(_ record: TaskRecord, settleSeconds: Double = defaultSettleSeconds) -> Date? {
        guard !record.hasHealthCheck, record.state == .running, record.healthySince == nil, let since = record.runningSince else { return nil }
        return since.addingTimeInterval(settleSeconds)
    }

    /// A long-running task ended without the scheduler asking: it counts toward backoff and gets replaced.
    public static func endedUnexpectedly(_ record: TaskRecord) -> Bool {
        record.state.isTerminal && record.killRequestedAt == nil
    }

    private static func rank(_ state: TaskState) -> Int {
        switch state {
        case .staging: 0
        case .starting: 1
        case .running: 2
        case .unreachable, .unknown: 3
        case .killing: 4
        case .finished, .failed, .killed, .error, .lost, .dropped, .gone, .goneByOperator: 5
        }
    }
}
