/// One YAML document of a file, decoded but not yet resolved against Defaults or validated.
///
/// A final class with constant properties: documents are shared between the parse cache, the
/// assembler and its worker threads without copying their contents.
final class ParsedDocument: Sendable {
    /// What the document is. The spec of a workload or Defaults document is `spec`, kept out of
    /// this enum so that switching on a document's body copies nothing large.
    enum Body: Sendable, Hashable {
        case workload(WorkloadKind)
        case defaults
        case maintenance([Located<AgentSelector>])
        /// The kind was missing or unknown; the error is already reported.
        case unknown
    }

    /// Where the document's top-level mapping starts.
    let location: SourceLocation
    let apiVersion: Located<String>?
    let kind: Located<DocumentKind>?
    let metadata: PartialMetadata
    /// Where `metadata` was written (the document start if absent).
    let metadataLocation: SourceLocation
    let body: Body
    /// The `spec` of a workload or Defaults document (empty for the other kinds).
    let spec: PartialSpec
    /// Field paths whose values failed to decode (already reported), so rules do not also call
    /// them missing.
    let failedPaths: Set<String>

    init(
        location: SourceLocation, apiVersion: Located<String>?, kind: Located<DocumentKind>?,
        metadata: PartialMetadata, metadataLocation: SourceLocation, body: Body, spec: PartialSpec,
        failedPaths: Set<String>
    ) {
        self.location = location
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.metadataLocation = metadataLocation
        self.body = body
        self.spec = spec
        self.failedPaths = failedPaths
    }

    /// Whether the value at `path`, or a mapping that holds it, failed to decode.
    func failed(_ path: String) -> Bool {
        if failedPaths.isEmpty { return false }
        var current = Substring(path)
        while true {
            if failedPaths.contains(String(current)) { return true }
            guard let dot = current.lastIndex(of: ".") else { return failedPaths.contains("") }
            current = current[..<dot]
        }
    }
}
