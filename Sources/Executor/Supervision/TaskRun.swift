import Foundation
import Mesos

/// One task under the executor: what it was launched with and where it is. Owned by the executor's queue.
final class TaskRun: @unchecked Sendable {  // @unchecked: only touched on the executor's queue.
    enum Phase: Equatable {
        case fetching
        case running(pid: Int32)
        /// The process exited; logs are being drained.
        case exiting
        case finished
    }

    let info: TaskInfo
    let data: ExecutorTaskData
    var phase: Phase = .fetching
    var startedAt = ContinuousClock.now
    var healthy: Bool?
    var health: HealthTracker?
    var healthStop = StopFlag()
    var memoryLimit: MemoryLimit?
    var peakBytes: UInt64 = 0
    var memoryTimer: DispatchSourceTimer?
    var pumps: [LogPump] = []
    /// Set when the task's logs go to the S3 archive.
    var archive: TaskLogArchive?
    /// The final logs are being uploaded: the executor does not exit yet.
    var archiving = false

    /// Set once a kill started (or was asked for while fetching).
    var killCause: KillCause?
    var killGrace: Double = 0
    var killStartedAt: ContinuousClock.Instant?
    var killDeadline: ContinuousClock.Instant?
    var escalationTimer: DispatchSourceTimer?
    var escalated = false

    init(info: TaskInfo, data: ExecutorTaskData) {
        self.info = info
        self.data = data
    }

    var taskID: TaskID { info.taskID }

    var pid: Int32? {
        if case .running(let pid) = phase { return pid }
        return nil
    }

    /// The grace when a KILL does not say: TaskInfo.kill_policy, then the task data, then Mesos' 3 s.
    var defaultGrace: Double {
        info.killPolicy?.gracePeriod?.seconds ?? data.killGraceSeconds ?? ExecutorTaskData.defaultKillGraceSeconds
    }
}

/// A flag one thread sets and another polls.
final class StopFlag: @unchecked Sendable {  // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

