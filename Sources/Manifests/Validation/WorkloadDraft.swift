/// A workload with Defaults merged in, before resolution: what the validation rules look at.
struct WorkloadDraft {
    var kind: WorkloadKind
    var document: ParsedDocument
    /// Merged with Defaults and restricted to the fields that fit the kind.
    var spec: PartialSpec
}

/// One validation rule for workloads. All rules run; each reports every problem it finds.
protocol WorkloadRule: SendableMetatype {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError])
}

/// One validation rule for any document (workloads, Defaults, Maintenance).
protocol DocumentRule: SendableMetatype {
    static func check(_ document: ParsedDocument, into errors: inout [ManifestError])
}

enum Rules {
    static let document: [any DocumentRule.Type] = [APIVersionRule.self, MetadataRule.self]
    static let workload: [any WorkloadRule.Type] = [
        NameRule.self, InstancesRule.self, CommandRule.self, ScheduleRule.self, TimeZoneRule.self,
        ResourcesRule.self, HealthCheckRule.self, DeployRule.self, JobRule.self, EnvRule.self,
        ContainerRule.self, PlacementRule.self, LogsRule.self,
    ]
    static let maintenance: [any DocumentRule.Type] = [MaintenanceNameRule.self]
}

extension Array where Element == ManifestError {
    mutating func add(_ location: SourceLocation, _ path: String, _ message: String) {
        append(ManifestError(at: location, path: path, message))
    }
}
