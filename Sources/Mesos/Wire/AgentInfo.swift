/// The agent an executor runs on (`SUBSCRIBED.agent_info`), decoded loosely.
public struct AgentInfo: Codable, Hashable, Sendable {
    public var hostname: String
    @LenientOptional public var port: Int32?
    public var id: AgentID?
    @Repeated public var resources: [Resource]

    enum CodingKeys: String, CodingKey { case hostname, port, id, resources }

    public init(hostname: String, port: Int32? = nil, id: AgentID? = nil, resources: [Resource] = []) {
        self.hostname = hostname
        self.port = port
        self.id = id
        self.resources = resources
    }
}
