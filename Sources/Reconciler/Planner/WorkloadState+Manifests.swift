import Foundation
import Manifests

extension WorkloadState {
    /// The planner's view of a desired workload: its hashes, instances and canonical fields.
    public init(_ workload: Workload) {
        self.init(
            name: workload.name, kind: workload.kind.rawValue, instances: workload.spec.instances,
            hashing: workload, fieldSource: .flatten(LazyFields(workload: workload)))
    }

    /// The canonical fields and `spec.instances`, sorted by path (byte-wise).
    static func flatten(_ workload: Workload) -> [(path: String, value: FieldValue)] {
        sortedFields(workload) { field in
            // `spec.instances` (an integer) types as a number like every other integer.
            (field.path, FieldValue(canonical: field.value, path: field.path))
        }
    }

    /// `flatten` as a create lists it, sensitive values masked (`Planner.createFields`), in one pass.
    static func createFields(_ workload: Workload) -> [FieldChange] {
        sortedFields(workload) { field in
            FieldChange(
                path: field.path, before: nil,
                after: SecretMasking.isSensitive(path: field.path)
                    ? SecretMasking.placeholder : FieldValue(canonical: field.value, path: field.path))
        }
    }

    private static func sortedFields<T>(_ workload: Workload, _ transform: (CanonicalField) -> T) -> [T] {
        var canonical = workload.canonicalFields
        canonical.append(CanonicalField(path: Planner.instancesPath, value: String(workload.spec.instances)))
        var fields: [T] = []
        fields.reserveCapacity(canonical.count)
        if let order = PathOrder.permutation(canonical.lazy.map(\.path)) {
            for i in order { fields.append(transform(canonical[i])) }
        } else {
            for field in canonical { fields.append(transform(field)) }
        }
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

    /// Whether `path` starts with one of the free-form prefixes: `spec.env.`, `metadata.labels.`,
    /// `metadata.owners[`, `spec.command`, `spec.healthCheck.command`,
    /// `spec.container.docker.parameters.`, `spec.placement.requiredAttributes.`,
    /// `spec.placement.allowedAttributes.`, `spec.user`, `spec.schedule`, `spec.timeZone`, `kind`.
    /// Byte-wise, dispatching on the first distinguishing byte (a plan checks every field's path).
    static func isFreeText(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { isFreeText(bytes: $0) }
    }

    /// `isFreeText` over a path's UTF-8 bytes.
    static func isFreeText(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func has(_ prefix: StaticString) -> Bool {
            let n = prefix.utf8CodeUnitCount
            return n <= bytes.count && memcmp(prefix.utf8Start, bytes.baseAddress!, n) == 0
        }
        guard let first = bytes.first else { return false }
        switch first {
        case UInt8(ascii: "k"):
            return has("kind")
        case UInt8(ascii: "m"):
            return has("metadata.labels.") || has("metadata.owners[")
        case UInt8(ascii: "s"):
            guard bytes.count > 5 else { return false }
            switch bytes[5] {
            case UInt8(ascii: "e"): return has("spec.env.")
            case UInt8(ascii: "c"): return has("spec.command") || has("spec.container.docker.parameters.")
            case UInt8(ascii: "h"): return has("spec.healthCheck.command")
            case UInt8(ascii: "p"):
                return has("spec.placement.requiredAttributes.") || has("spec.placement.allowedAttributes.")
            case UInt8(ascii: "u"): return has("spec.user")
            case UInt8(ascii: "s"): return has("spec.schedule")
            case UInt8(ascii: "t"): return has("spec.timeZone")
            default: return false
            }
        default:
            return false
        }
    }

    /// An optional `-`, digits with at most one `.` not first or last: `12`, `-3`, `0.5`.
    private static func isNumber(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { isNumber(bytes: $0) }
    }

    /// `isNumber` over UTF-8 bytes.
    static func isNumber(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var sawDigit = false, sawDot = false
        var index = 0
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
