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
    /// Field paths whose values failed to decode (already reported), so rules do not also call
    /// them missing.
    var failedPaths: Set<String> = []

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
