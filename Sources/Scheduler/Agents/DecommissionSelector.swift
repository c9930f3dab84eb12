/// Which agents a Maintenance document takes out: by hostname, or by attributes (all must match).
public struct DecommissionSelector: Sendable, Hashable {
    public var hostname: String?
    public var attributes: [String: String]

    public init(hostname: String? = nil, attributes: [String: String] = [:]) {
        self.hostname = hostname
        self.attributes = attributes
    }

    /// An empty selector matches nothing (it must never take out the whole cluster).
    public func matches(hostname agentHostname: String, attributes agentAttributes: [String: String]) -> Bool {
        guard hostname != nil || !attributes.isEmpty else { return false }
        if let hostname, hostname != agentHostname { return false }
        return attributes.allSatisfy { agentAttributes[$0.key] == $0.value }
    }
}

/// An agent as decommissioning sees it.
public struct AgentRecord: Sendable, Hashable {
    public var id: String
    public var hostname: String
    public var attributes: [String: String]
    public var state: AgentState

    public init(id: String, hostname: String, attributes: [String: String] = [:], state: AgentState = .active) {
        self.id = id
        self.hostname = hostname
        self.attributes = attributes
        self.state = state
    }
}
