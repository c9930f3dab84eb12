/// A resource: scalar (cpus, mem, disk), ranges (ports) or set.
public struct Resource: Codable, Hashable, Sendable {
    public var providerID: ResourceProviderID?
    public var name: String
    public var type: ValueType
    public var scalar: ScalarValue?
    public var ranges: RangesValue?
    public var set: SetValue?
    /// Deprecated pre-refinement role ("*" = unreserved).
    public var role: String?
    public var allocationInfo: AllocationInfo?
    public var reservation: ReservationInfo?
    @Repeated public var reservations: [ReservationInfo]
    public var disk: DiskInfo?
    public var revocable: Empty?
    public var shared: Empty?

    enum CodingKeys: String, CodingKey {
        case providerID = "provider_id", name, type, scalar, ranges, set, role
        case allocationInfo = "allocation_info", reservation, reservations, disk, revocable, shared
    }

    public init(
        name: String, type: ValueType, scalar: ScalarValue? = nil, ranges: RangesValue? = nil,
        set: SetValue? = nil, role: String? = nil, allocationInfo: AllocationInfo? = nil,
        reservations: [ReservationInfo] = []
    ) {
        self.name = name
        self.type = type
        self.scalar = scalar
        self.ranges = ranges
        self.set = set
        self.role = role
        self.allocationInfo = allocationInfo
        self.reservations = reservations
    }

    /// A scalar resource such as `cpus`, `mem` (MB) or `disk` (MB).
    public static func scalar(_ name: String, _ value: Double, role: String? = nil,
                              allocationRole: String? = nil) -> Resource {
        Resource(name: name, type: .scalar, scalar: ScalarValue(value), role: role,
                 allocationInfo: allocationRole.map { AllocationInfo(role: $0) })
    }

    /// A ranges resource such as `ports`.
    public static func ranges(_ name: String, _ ranges: [ClosedRange<UInt64>], role: String? = nil,
                              allocationRole: String? = nil) -> Resource {
        Resource(name: name, type: .ranges,
                 ranges: RangesValue(ranges.map { ValueRange(begin: $0.lowerBound, end: $0.upperBound) }),
                 role: role, allocationInfo: allocationRole.map { AllocationInfo(role: $0) })
    }

    /// A set resource.
    public static func set(_ name: String, _ items: [String], role: String? = nil) -> Resource {
        Resource(name: name, type: .set, set: SetValue(items), role: role)
    }

    /// `{"role": ..}`: the role an offered resource is allocated to.
    public struct AllocationInfo: Codable, Hashable, Sendable {
        public var role: String?
        public init(role: String?) { self.role = role }
    }

    public struct ReservationType: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let unknown: ReservationType = "UNKNOWN"
        public static let `static`: ReservationType = "STATIC"
        public static let dynamic: ReservationType = "DYNAMIC"
    }

    public struct ReservationInfo: Codable, Hashable, Sendable {
        public var type: ReservationType?
        public var role: String?
        public var principal: String?
        public var labels: Labels?
        public init(type: ReservationType? = nil, role: String? = nil, principal: String? = nil,
                    labels: Labels? = nil) {
            self.type = type
            self.role = role
            self.principal = principal
            self.labels = labels
        }
    }

    /// Disk details (persistent volumes, sources); kept loosely.
    public struct DiskInfo: Codable, Hashable, Sendable {
        public var persistence: Persistence?
        public var volume: Volume?
        public var source: Source?
        public init(persistence: Persistence? = nil, volume: Volume? = nil, source: Source? = nil) {
            self.persistence = persistence
            self.volume = volume
            self.source = source
        }
        public struct Persistence: Codable, Hashable, Sendable {
            public var id: String
            public var principal: String?
            public init(id: String, principal: String? = nil) {
                self.id = id
                self.principal = principal
            }
        }
        public struct Source: Codable, Hashable, Sendable {
            public var type: String
            public var id: String?
            public var profile: String?
            public init(type: String, id: String? = nil, profile: String? = nil) {
                self.type = type
                self.id = id
                self.profile = profile
            }
        }
    }

    /// An empty message (`{}`), used for the `revocable` and `shared` markers.
    public struct Empty: Codable, Hashable, Sendable {
        public init() {}
    }
}

extension Resource {
    /// The role this resource is reserved for, `nil` when unreserved, in either resource format.
    public var reservedRole: String? {
        if let last = reservations.last { return last.role }
        if let role, role != "*" { return role }
        return nil
    }
}

/// A machine attribute: `{"name":"rack","type":"TEXT","text":{"value":"r1"}}`.
public struct Attribute: Codable, Hashable, Sendable {
    public var name: String
    public var type: ValueType
    public var scalar: ScalarValue?
    public var ranges: RangesValue?
    public var set: SetValue?
    public var text: TextValue?

    public init(name: String, type: ValueType, scalar: ScalarValue? = nil, ranges: RangesValue? = nil,
                set: SetValue? = nil, text: TextValue? = nil) {
        self.name = name
        self.type = type
        self.scalar = scalar
        self.ranges = ranges
        self.set = set
        self.text = text
    }

    public static func text(_ name: String, _ value: String) -> Attribute {
        Attribute(name: name, type: .text, text: TextValue(value))
    }

    public static func scalar(_ name: String, _ value: Double) -> Attribute {
        Attribute(name: name, type: .scalar, scalar: ScalarValue(value))
    }

    /// The value as Mesos prints it (`r1`, `4`, `[1-3]`, `{a,b}`).
    public var stringValue: String {
        switch type {
        case .text: return text?.value ?? ""
        case .scalar: return scalar.map { formatScalar($0.value) } ?? ""
        case .ranges: return "[" + (ranges?.range ?? []).map { "\($0.begin)-\($0.end)" }.joined(separator: ",") + "]"
        case .set: return "{" + (set?.item ?? []).joined(separator: ",") + "}"
        default: return ""
        }
    }
}

func formatScalar(_ value: Double) -> String {
    if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}
