/// Time since the epoch in nanoseconds: `{"nanoseconds": N}`.
public struct TimeInfo: Codable, Hashable, Sendable {
    @Lenient public var nanoseconds: Int64
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    public init(secondsSinceEpoch: Double) { self.nanoseconds = Int64(secondsSinceEpoch * 1e9) }
    public var secondsSinceEpoch: Double { Double(nanoseconds) / 1e9 }
}

/// A duration in nanoseconds: `{"nanoseconds": N}`.
public struct DurationInfo: Codable, Hashable, Sendable {
    @Lenient public var nanoseconds: Int64
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    public init(seconds: Double) { self.nanoseconds = Int64(seconds * 1e9) }
    public var seconds: Double { Double(nanoseconds) / 1e9 }
}

/// `google.protobuf.Duration` as the operator API uses it: `{"seconds": N, "nanos": M}`.
public struct ProtobufDuration: Codable, Hashable, Sendable {
    @Lenient public var seconds: Int64
    @LenientOptional public var nanos: Int32?
    public init(seconds: Int64, nanos: Int32? = nil) {
        self.seconds = seconds
        self.nanos = nanos
    }
}

/// A planned unavailability interval; no duration means forever.
public struct Unavailability: Codable, Hashable, Sendable {
    public var start: TimeInfo
    public var duration: DurationInfo?
    public init(start: TimeInfo, duration: DurationInfo? = nil) {
        self.start = start
        self.duration = duration
    }
}
