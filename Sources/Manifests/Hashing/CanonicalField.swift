/// One leaf of a workload's canonical flattening, e.g. `spec.env.LOG_LEVEL` = `info`.
///
/// The hashes are computed over exactly these fields, so a planner can diff two workloads field by
/// field and get the same answer as comparing hashes.
public struct CanonicalField: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var value: String

    public init(path: String, value: String) {
        self.path = path
        self.value = value
    }

    public var description: String { "\(path)=\(value)" }
}
