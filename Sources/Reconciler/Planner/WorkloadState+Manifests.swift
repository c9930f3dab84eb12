import Foundation
import Manifests

extension WorkloadState {
    /// The planner's view of a desired workload: its hashes, instances and canonical fields.
    public init(_ workload: Workload) {
        self.init(
            name: workload.name, kind: workload.kind.rawValue, deployId: workload.deployId,
            requestHash: workload.requestHash, instances: workload.spec.instances)
        fieldSource = .flatten(LazyFields { Self.flatten(workload) })
    }

    static func flatten(_ workload: Workload) -> [(path: String, value: FieldValue)] {
        let template = workload.templateFields, request = workload.requestFields
        var fields: [(path: String, value: FieldValue)] = []
        fields.reserveCapacity(template.count + request.count + 1)
        for field in template { fields.append((field.path, FieldValue(canonical: field.value, path: field.path))) }
        for field in request { fields.append((field.path, FieldValue(canonical: field.value, path: field.path))) }
        fields.append((Planner.instancesPath, .number(String(workload.spec.instances))))
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

    private static let freeTextPrefixes: [[UInt8]] = [
        "spec.env.", "metadata.labels.", "metadata.owners[", "spec.command", "spec.healthCheck.command",
        "spec.container.docker.parameters.", "spec.placement.requiredAttributes.",
        "spec.placement.allowedAttributes.", "spec.user", "spec.schedule", "spec.timeZone", "kind",
    ].map { Array($0.utf8) }

    /// Byte-wise prefix checks: paths are ASCII up to the first key.
    private static func isFreeText(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            freeTextPrefixes.contains { prefix in
                prefix.count <= bytes.count && prefix.withUnsafeBufferPointer { p in
                    memcmp(p.baseAddress!, bytes.baseAddress!, prefix.count) == 0
                }
            }
        }
    }

    /// An optional `-`, digits with at most one `.` not first or last: `12`, `-3`, `0.5`.
    private static func isNumber(_ s: String) -> Bool {
        var sawDigit = false, sawDot = false
        var index = 0
        let bytes = s.utf8
        guard let first = bytes.first, let last = bytes.last,
              first != UInt8(ascii: "+"), first != UInt8(ascii: "."), last != UInt8(ascii: ".")
        else { return false }
        for c in bytes {
            defer { index += 1 }
            if c == UInt8(ascii: "-") && index == 0 { continue }
            if c == UInt8(ascii: ".") && !sawDot { sawDot = true; continue }
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return false }
            sawDigit = true
        }
        return sawDigit
    }
}
