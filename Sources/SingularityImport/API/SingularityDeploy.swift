/// `SingularityDeploy` (the fields the importer reads; the rest are seen through the raw object).
public struct SingularityDeploy: Sendable, Decodable {
    public var requestId: String?
    public var id: String?
    public var command: String?
    public var arguments: [String]?
    public var shell: Bool?
    public var user: String?
    public var env: [String: String]?
    public var resources: Resources?
    public var uris: [Artifact]?
    public var executorData: ExecutorData?
    public var containerInfo: ContainerInfo?
    public var healthcheck: Healthcheck?
    public var healthcheckUri: String?
    public var healthcheckIntervalSeconds: Int?
    public var healthcheckTimeoutSeconds: Int?
    public var healthcheckPortIndex: Int?
    public var healthcheckMaxRetries: Int?
    public var deployHealthTimeoutSeconds: Int?
    public var deployInstanceCountPerStep: Int?
    public var deployStepWaitTimeMs: Int?
    public var autoAdvanceDeploySteps: Bool?
    public var canaryDeploySettings: CanarySettings?

    public struct Resources: Sendable, Decodable {
        public var cpus: Double?
        public var memoryMb: Double?
        public var numPorts: Int?
        public var diskMb: Double?
    }

    /// `SingularityMesosArtifact`; a plain string is accepted too.
    public struct Artifact: Sendable, Decodable {
        public var uri: String
        public var cache: Bool?
        public var executable: Bool?
        public var extract: Bool?
        public var outputFile: String?

        enum CodingKeys: String, CodingKey { case uri, cache, executable, extract, outputFile }

        public init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                uri = text
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            uri = try c.decode(String.self, forKey: .uri)
            cache = try c.decodeIfPresent(Bool.self, forKey: .cache)
            executable = try c.decodeIfPresent(Bool.self, forKey: .executable)
            extract = try c.decodeIfPresent(Bool.self, forKey: .extract)
            outputFile = try c.decodeIfPresent(String.self, forKey: .outputFile)
        }
    }

    /// SingularityExecutor's `executorData` (the fields with a Converge equivalent).
    public struct ExecutorData: Sendable, Decodable {
        public var cmd: String?
        public var extraCmdLineArgs: [String]?
        public var user: String?
        public var externalArtifacts: [ExternalArtifact]?
        public var sigKillProcessesAfterMillis: Int?
        public var successfulExitCodes: [Int]?
    }

    public struct ExternalArtifact: Sendable, Decodable {
        public var url: String
        public var filename: String?
    }

    public struct ContainerInfo: Sendable, Decodable {
        public var type: String?
        public var volumes: [Volume]?
        public var docker: Docker?
    }

    public struct Volume: Sendable, Decodable {
        public var containerPath: String?
        public var hostPath: String?
        public var mode: String?
        public var source: JSONValue?
    }

    public struct Docker: Sendable, Decodable {
        public var image: String?
        public var privileged: Bool?
        public var network: String?
        public var portMappings: [PortMapping]?
        public var forcePullImage: Bool?
        public var parameters: [String: String]?
        public var dockerParameters: [Parameter]?
    }

    public struct PortMapping: Sendable, Decodable {
        public var containerPortType: String?
        public var containerPort: Int
        public var hostPortType: String?
        public var hostPort: Int
        public var `protocol`: String?
    }

    public struct Parameter: Sendable, Decodable {
        public var key: String
        public var value: String
    }

    /// `HealthcheckOptions`.
    public struct Healthcheck: Sendable, Decodable {
        public var uri: String?
        public var portIndex: Int?
        public var portNumber: Int?
        public var `protocol`: String?
        public var method: String?
        public var startupTimeoutSeconds: Int?
        public var startupDelaySeconds: Int?
        public var startupIntervalSeconds: Int?
        public var intervalSeconds: Int?
        public var responseTimeoutSeconds: Int?
        public var maxRetries: Int?
        public var failureStatusCodes: [Int]?
        public var healthcheckResultFilePath: String?
    }

    public struct CanarySettings: Sendable, Decodable {
        public var enableCanaryDeploy: Bool?
        public var instanceGroupSize: Int?
        public var acceptanceMode: String?
        public var waitMillisBetweenGroups: Int?
        public var allowedTasksFailuresPerGroup: Int?
        public var canaryCycleCount: Int?
    }
}
