/// One YAML document of a file, decoded but not yet resolved against Defaults or validated.
struct ParsedDocument: Sendable, Hashable {
    enum Body: Sendable, Hashable {
        case workload(WorkloadKind, PartialSpec)
        case defaults(PartialSpec)
        case maintenance([Located<AgentSelector>])
        /// The kind was missing or unknown; the error is already reported.
        case unknown
    }

    var location: SourceLocation
    var apiVersion: Located<String>?
    var kind: Located<DocumentKind>?
    var metadata: PartialMetadata
    /// Where `metadata` was written (the document start if absent).
    var metadataLocation: SourceLocation
    var body: Body
}
