/// A task's state. Unknown values decode without error.
public struct TaskState: WireEnum {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let staging: TaskState = "TASK_STAGING"
    public static let starting: TaskState = "TASK_STARTING"
    public static let running: TaskState = "TASK_RUNNING"
    /// Only sent to frameworks with the TASK_KILLING_STATE capability.
    public static let killing: TaskState = "TASK_KILLING"
    public static let finished: TaskState = "TASK_FINISHED"
    public static let failed: TaskState = "TASK_FAILED"
    public static let killed: TaskState = "TASK_KILLED"
    public static let error: TaskState = "TASK_ERROR"
    public static let lost: TaskState = "TASK_LOST"
    // The following go only to PARTITION_AWARE frameworks.
    public static let dropped: TaskState = "TASK_DROPPED"
    public static let unreachable: TaskState = "TASK_UNREACHABLE"
    public static let gone: TaskState = "TASK_GONE"
    public static let goneByOperator: TaskState = "TASK_GONE_BY_OPERATOR"
    public static let unknown: TaskState = "TASK_UNKNOWN"

    public static let allKnown: [TaskState] = [
        .staging, .starting, .running, .killing, .finished, .failed, .killed, .error, .lost,
        .dropped, .unreachable, .gone, .goneByOperator, .unknown,
    ]

    /// FINISHED, FAILED, KILLED, ERROR, DROPPED, GONE: the task is over for good.
    public var isTerminal: Bool {
        switch self {
        case .finished, .failed, .killed, .error, .dropped, .gone: return true
        default: return false
        }
    }

    /// States only PARTITION_AWARE frameworks receive; the others see TASK_LOST instead.
    public var isPartitionAwareOnly: Bool {
        switch self {
        case .dropped, .unreachable, .gone, .goneByOperator, .unknown: return true
        default: return false
        }
    }
}
