/// Scalar resources of a task or an agent: cpus, memory and disk (megabytes, as Mesos counts them).
public struct ResourceAmounts: Sendable, Hashable {
    public var cpus: Double
    public var memMb: Double
    public var diskMb: Double

    public init(cpus: Double = 0, memMb: Double = 0, diskMb: Double = 0) {
        self.cpus = cpus
        self.memMb = memMb
        self.diskMb = diskMb
    }

    public static let zero = ResourceAmounts()

    /// Tolerance for comparing sums of doubles (Mesos itself rounds scalars to 0.001).
    static let epsilon = 0.0005

    /// True when `other` fits in `self` in every dimension.
    public func covers(_ other: ResourceAmounts) -> Bool {
        cpus + Self.epsilon >= other.cpus && memMb + Self.epsilon >= other.memMb && diskMb + Self.epsilon >= other.diskMb
    }

    public static func + (lhs: ResourceAmounts, rhs: ResourceAmounts) -> ResourceAmounts {
        ResourceAmounts(cpus: lhs.cpus + rhs.cpus, memMb: lhs.memMb + rhs.memMb, diskMb: lhs.diskMb + rhs.diskMb)
    }

    public static func - (lhs: ResourceAmounts, rhs: ResourceAmounts) -> ResourceAmounts {
        ResourceAmounts(cpus: lhs.cpus - rhs.cpus, memMb: lhs.memMb - rhs.memMb, diskMb: lhs.diskMb - rhs.diskMb)
    }
}
