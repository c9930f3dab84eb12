/// `SingularityRequestParent`: what `GET /api/requests` lists (without deploys) and what
/// `GET /api/requests/request/{id}` answers (with `activeDeploy`).
public struct SingularityRequestParent: Sendable, Decodable {
    public var request: SingularityRequest
    public var state: String?
    public var requestDeployState: DeployState?
    public var activeDeploy: SingularityDeploy?
    public var pendingDeploy: SingularityDeploy?
    public var expiringScale: JSONValue?
    public var expiringPause: JSONValue?
    public var expiringBounce: JSONValue?
    public var expiringSkipHealthchecks: JSONValue?
    public var expiringPriority: JSONValue?

    /// The request and deploy objects as sent, for the unmapped-field report.
    var rawRequest: [String: JSONValue] = [:]
    var rawDeploy: [String: JSONValue] = [:]

    public struct DeployState: Sendable, Decodable {
        public var activeDeploy: Marker?
        public var pendingDeploy: Marker?
    }

    public struct Marker: Sendable, Decodable {
        public var deployId: String
    }

    enum CodingKeys: String, CodingKey {
        case request, state, requestDeployState, activeDeploy, pendingDeploy
        case expiringScale, expiringPause, expiringBounce, expiringSkipHealthchecks, expiringPriority
    }

    private struct Raw: Decodable {
        var request: JSONValue
        var activeDeploy: JSONValue?
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        request = try c.decode(SingularityRequest.self, forKey: .request)
        state = try c.decodeIfPresent(String.self, forKey: .state)
        requestDeployState = try c.decodeIfPresent(DeployState.self, forKey: .requestDeployState)
        activeDeploy = try c.decodeIfPresent(SingularityDeploy.self, forKey: .activeDeploy)
        pendingDeploy = try c.decodeIfPresent(SingularityDeploy.self, forKey: .pendingDeploy)
        expiringScale = try c.decodeIfPresent(JSONValue.self, forKey: .expiringScale)
        expiringPause = try c.decodeIfPresent(JSONValue.self, forKey: .expiringPause)
        expiringBounce = try c.decodeIfPresent(JSONValue.self, forKey: .expiringBounce)
        expiringSkipHealthchecks = try c.decodeIfPresent(JSONValue.self, forKey: .expiringSkipHealthchecks)
        expiringPriority = try c.decodeIfPresent(JSONValue.self, forKey: .expiringPriority)
        let raw = try Raw(from: decoder)
        rawRequest = raw.request.object ?? [:]
        rawDeploy = raw.activeDeploy?.object ?? [:]
    }
}

/// `SingularityRequest` (the fields the importer reads; the rest are seen through the raw object).
public struct SingularityRequest: Sendable, Decodable {
    public var id: String
    public var requestType: String?
    public var owners: [String]?
    public var instances: Int?
    public var numRetriesOnFailure: Int?
    public var schedule: String?
    public var quartzSchedule: String?
    public var scheduleType: String?
    public var scheduleTimeZone: String?
    public var rackSensitive: Bool?
    public var loadBalanced: Bool?
    public var taskExecutionTimeLimitMillis: Int?
    public var agentPlacement: String?
    public var slavePlacement: String?
    public var requiredAgentAttributes: [String: String]?
    public var requiredSlaveAttributes: [String: String]?
    public var allowedAgentAttributes: [String: String]?
    public var allowedSlaveAttributes: [String: String]?
    public var group: String?
    public var daemon: Bool?
}
