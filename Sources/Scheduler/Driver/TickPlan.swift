import Foundation
import Manifests

/// What one tick decided: tasks to place and tasks to kill, executed together at the end of the tick.
struct TickPlan: Sendable {
    var launches: [PendingLaunch] = []
    var kills: [KillOrder] = []
    /// The earliest time something needs another look.
    var nextCheckAt: Date?

    mutating func check(at date: Date?) {
        guard let date else { return }
        nextCheckAt = min(nextCheckAt ?? date, date)
    }
}

/// A task to launch once placement finds it a place.
struct PendingLaunch: Sendable {
    var pending: PendingTask
    var identity: TaskIdentity
    var workload: Workload
    /// Set for OnDemand triggers (their task id was handed out already).
    var taskID: String?
    var trigger: Trigger?

    var key: String { "\(pending.slot)|\(pending.deployID)|\(identity.fireTime?.timeIntervalSince1970 ?? -1)|\(identity.attempt ?? -1)" }
}

struct KillOrder: Sendable {
    var taskID: String
    var agentID: String
    var reason: KillReason
    /// Nil: the task's own kill policy.
    var graceSeconds: Double?
}
