/// One desired workload of the repository, resolved, validated and hashed.
public struct Workload: Sendable, Hashable {
    public var kind: WorkloadKind
    public var metadata: Metadata
    public var spec: WorkloadSpec
    /// Where the document starts.
    public var source: SourceLocation
    /// SHA-256 (hex) over `templateFields`: changes mean a new deploy.
    public var templateHash: String
    /// SHA-256 (hex) over `requestFields`: changes mean an in-place update.
    public var requestHash: String

    public var name: String { metadata.name }
    /// The first 12 hex digits of the template hash.
    public var deployId: String { String(templateHash.prefix(12)) }

    public init(kind: WorkloadKind, metadata: Metadata, spec: WorkloadSpec, source: SourceLocation) {
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.source = source
        self.templateHash = ""
        self.requestHash = ""
        self.templateHash = CanonicalHash.sha256Hex(templateFields)
        self.requestHash = CanonicalHash.sha256Hex(requestFields)
    }
}
