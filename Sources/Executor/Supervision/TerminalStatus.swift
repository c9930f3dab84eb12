import Foundation
import Mesos

/// Why the executor is stopping a task.
enum KillCause: Equatable, Sendable {
    /// A KILL event (or SHUTDOWN).
    case requested
    /// `consecutive_failures` health checks failed.
    case healthCheck
    /// The group's memory passed the soft limit; `peakBytes` is the highest RSS seen.
    case memory(MemoryLimit, peakBytes: UInt64)
}

/// How a kill went: the signal that ended it and how long it took.
struct KillOutcome: Equatable, Sendable {
    var cause: KillCause
    /// SIGKILL was sent after the grace period ran out.
    var escalated: Bool
    var graceSeconds: Double
    var secondsToExit: Double

    var summary: String {
        escalated
            ? "SIGKILL after \(Self.seconds(graceSeconds)) s grace"
            : graceSeconds <= 0 ? "SIGKILL" : "SIGTERM, exited after \(Self.seconds(secondsToExit)) s"
    }

    static func seconds(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// The terminal update for a task's end, as Mesos' command executor reports it: TASK_FINISHED on exit 0,
/// TASK_FAILED otherwise, TASK_KILLED when killed; a health-check kill is TASK_KILLED with
/// REASON_TASK_HEALTH_CHECK_STATUS_UPDATED and healthy false; the soft memory limit is TASK_FAILED with
/// REASON_CONTAINER_LIMITATION_MEMORY.
struct TerminalStatus: Equatable, Sendable {
    var state: TaskState
    var message: String
    var reason: TaskStatus.Reason?
    var healthy: Bool?

    init(exit: ProcessExit, kill: KillOutcome?, healthy: Bool?, droppedBytes: UInt64 = 0) {
        self.healthy = healthy
        switch kill?.cause {
        case nil:
            state = exit.succeeded ? .finished : .failed
            message = exit.message
            reason = nil
        case .requested?:
            state = .killed
            message = "killed: \(kill!.summary)"
            reason = nil
        case .healthCheck?:
            state = .killed
            message = "killed after failing its health check: \(kill!.summary)"
            reason = .taskHealthCheckStatusUpdated
            self.healthy = false
        case .memory(let limit, let peak)?:
            state = .failed
            message = "\(limit.message(peakBytes: peak)); killed: \(kill!.summary)"
            reason = .containerLimitationMemory
        }
        if droppedBytes > 0 {
            message += " (\(droppedBytes) bytes of output dropped: the disk was too slow)"
        }
    }
}
