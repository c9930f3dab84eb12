/// `spec.executor`: which executor runs the task. `converge` (the default) means the controller's
/// Converge executor when one is configured (`--executor`), else Mesos' command executor;
/// `command` always uses Mesos' command executor.
public enum ExecutorChoice: String, Sendable, Hashable, CaseIterable {
    case converge
    case command
}

/// `spec.logs`: rotation of the task's stdout and stderr by the Converge executor. Defaults:
/// maxSizeMb 10, keep 5, compress true. (Mesos' command executor does not rotate.)
public struct LogSettings: Sendable, Hashable {
    public var maxSizeMb: Int
    public var keep: Int
    public var compress: Bool

    public init(maxSizeMb: Int = 10, keep: Int = 5, compress: Bool = true) {
        self.maxSizeMb = maxSizeMb
        self.keep = keep
        self.compress = compress
    }

    static let maxSizeMbLimit = 10 * 1024
    static let maxKeep = 100
}
