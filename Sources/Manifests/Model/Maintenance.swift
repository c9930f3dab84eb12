/// A `Maintenance` document: agents to move every task off and then keep empty.
public struct Maintenance: Sendable, Hashable {
    public var metadata: Metadata
    public var decommission: [AgentSelector]
    public var source: SourceLocation

    public init(metadata: Metadata, decommission: [AgentSelector], source: SourceLocation) {
        self.metadata = metadata
        self.decommission = decommission
        self.source = source
    }

    public var name: String { metadata.name }
}

/// `spec.decommission[]`: one agent by hostname, or every agent whose attributes all match.
public enum AgentSelector: Sendable, Hashable {
    case hostname(String)
    case attributes([String: String])
}
