/// `spec.resources`: what each instance needs. Defaults: cpus 0.1, memoryMb 128, diskMb 0,
/// ports 1 for a Service and 0 otherwise, memorySoftLimit 0.9.
public struct Resources: Sendable, Hashable {
    public var cpus: Double
    public var memoryMb: Int
    public var diskMb: Int
    /// How many host ports to allocate; tasks see them as $PORT0, $PORT1, ...
    public var ports: Int
    /// The Converge executor asks the task to stop (SIGTERM, grace, SIGKILL) above
    /// `memoryMb x memorySoftLimit`; in (0, 1].
    public var memorySoftLimit: Double

    public init(cpus: Double, memoryMb: Int, diskMb: Int, ports: Int, memorySoftLimit: Double = Resources.defaultMemorySoftLimit) {
        self.memorySoftLimit = memorySoftLimit
        self.cpus = cpus
        self.memoryMb = memoryMb
        self.diskMb = diskMb
        self.ports = ports
    }

    public static let defaultMemorySoftLimit = 0.9
    static let maxCpus = 512.0
    static let maxMemoryMb = 4 * 1024 * 1024
    static let maxDiskMb = 64 * 1024 * 1024
    static let maxPorts = 64
}
