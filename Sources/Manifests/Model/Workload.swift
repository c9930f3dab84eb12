/// One desired workload of the repository, resolved, validated and hashed.
public struct Workload: Sendable, Hashable {
    public private(set) var kind: WorkloadKind
    public private(set) var metadata: Metadata
    public private(set) var spec: WorkloadSpec
    /// Where the document starts.
    public private(set) var source: SourceLocation
    /// SHA-256 (hex) over `templateFields`: changes mean a new deploy.
    public private(set) var templateHash: String
    /// SHA-256 (hex) over `requestFields`: changes mean an in-place update.
    public private(set) var requestHash: String

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
        var template = FieldWriter(collecting: false)
        writeTemplate(to: &template)
        self.templateHash = template.sha256Hex
        var request = FieldWriter(collecting: false)
        writeRequest(to: &request)
        self.requestHash = request.sha256Hex
    }
}
