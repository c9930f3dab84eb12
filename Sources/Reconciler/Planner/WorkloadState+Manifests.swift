import Manifests

extension WorkloadState {
    /// The planner's view of a desired workload: its hashes, instances and canonical fields.
    public init(_ workload: Workload) {
        self.init(
            name: workload.name, kind: workload.kind.rawValue, deployId: workload.deployId,
            requestHash: workload.requestHash, instances: workload.spec.instances)
        fieldSource = .flatten(LazyFields { Self.flatten(workload) })
    }

    static func flatten(_ workload: Workload) -> [String: FieldValue] {
        var fields: [String: FieldValue] = [:]
        fields.reserveCapacity(32)
        for field in workload.templateFields { fields[field.path] = FieldValue(canonical: field.value, path: field.path) }
        for field in workload.requestFields { fields[field.path] = FieldValue(canonical: field.value, path: field.path) }
        fields["spec.instances"] = .number(String(workload.spec.instances))
        return fields
    }
}

extension MaintenanceSelector {
    public init(_ selector: AgentSelector) {
        switch selector {
        case .hostname(let host): self = .hostname(host)
        case .attributes(let attributes): self = .attributes(attributes)
        }
    }
}

extension FieldValue {
    /// Types a canonical value by where it sits: free-form strings (env, labels, owners, commands,
    /// attributes, names) stay strings; elsewhere `true`/`false` are booleans and decimals are numbers.
    init(canonical value: String, path: String) {
        if Self.isFreeText(path) {
            self = .string(value)
        } else if value == "true" || value == "false" {
            self = .bool(value == "true")
        } else if Self.isNumber(value) {
            self = .number(value)
        } else {
            self = .string(value)
        }
    }

    private static let freeTextPrefixes = [
        "spec.env.", "metadata.labels.", "metadata.owners[", "spec.command", "spec.healthCheck.command",
        "spec.container.docker.parameters.", "spec.placement.requiredAttributes.",
        "spec.placement.allowedAttributes.", "spec.user", "spec.schedule", "spec.timeZone", "kind",
    ]

    private static func isFreeText(_ path: String) -> Bool {
        freeTextPrefixes.contains { path.hasPrefix($0) }
    }

    private static func isNumber(_ s: String) -> Bool {
        guard !s.isEmpty, s.first != "+", s.first != "." , s.last != "." else { return false }
        var sawDigit = false, sawDot = false
        for (i, c) in s.enumerated() {
            if c == "-" && i == 0 { continue }
            if c == "." && !sawDot { sawDot = true; continue }
            guard c.isASCII, c.isNumber else { return false }
            sawDigit = true
        }
        return sawDigit
    }
}
