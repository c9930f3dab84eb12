/// `spec.placement`. Defaults: spread balanced, rackSensitive false, no attribute constraints.
public struct Placement: Sendable, Hashable {
    public enum Spread: String, Sendable, Hashable, CaseIterable {
        /// The default: instances go to the agents (then racks) holding the fewest of them; services pack.
        case balanced
        /// Pack instances wherever offers fit (one agent may run them all).
        case greedy
        /// At most one instance per agent.
        case separateHosts
        /// One instance on every matching agent.
        case spreadAllAgents
    }

    public var spread: Spread
    /// Spread evenly over the agent attribute `rack`.
    public var rackSensitive: Bool
    /// Agent attributes that must have exactly this value.
    public var requiredAttributes: [String: String]
    /// Agent attributes whose value must be one of the listed values.
    public var allowedAttributes: [String: [String]]

    public init(
        spread: Spread = .balanced, rackSensitive: Bool = false, requiredAttributes: [String: String] = [:],
        allowedAttributes: [String: [String]] = [:]
    ) {
        self.spread = spread
        self.rackSensitive = rackSensitive
        self.requiredAttributes = requiredAttributes
        self.allowedAttributes = allowedAttributes
    }
}
