/// A task's Mesos state (the `TASK_` prefix dropped), as the scheduler tracks it.
public enum TaskState: String, Sendable, Hashable, CaseIterable {
    case staging, starting, running, killing
    case finished, failed, killed, error, lost, dropped, unreachable, gone, goneByOperator, unknown

    /// Parses `TASK_RUNNING` and `running` alike; nil for anything else.
    public init?(mesosName: String) {
        var name = mesosName
        if name.hasPrefix("TASK_") { name.removeFirst(5) }
        let camel = name.lowercased().split(separator: "_").enumerated()
            .map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
        self.init(rawValue: camel)
    }

    /// The task will never run again (Mesos' terminal states, plus LOST which Mesos reports for agents that
    /// are gone for non-partition-aware frameworks).
    public var isTerminal: Bool {
        switch self {
        case .finished, .failed, .killed, .error, .lost, .dropped, .gone, .goneByOperator: true
        case .staging, .starting, .running, .killing, .unreachable, .unknown: false
        }
    }

    /// Counts as a live instance: launched, not ended, not on its way out, not cut off by a partition.
    public var isLive: Bool {
        switch self {
        case .staging, .starting, .running: true
        default: false
        }
    }

    /// The task ended by itself in a way that counts as a failure for backoff.
    public var isFailure: Bool {
        switch self {
        case .failed, .error, .lost, .dropped, .gone: true
        default: false
        }
    }
}
