/// What a task runs: a shell command (`shell` true, the default) or an executable with arguments.
public struct CommandInfo: Codable, Hashable, Sendable {
    @Repeated public var uris: [URI]
    public var environment: Environment?
    /// Defaults to true; always written, as the master does.
    public var shell: Bool
    public var value: String?
    @Repeated public var arguments: [String]
    public var user: String?

    enum CodingKeys: String, CodingKey { case uris, environment, shell, value, arguments, user }

    public init(value: String?, shell: Bool = true, arguments: [String] = [], uris: [URI] = [],
                environment: Environment? = nil, user: String? = nil) {
        self.uris = uris
        self.environment = environment
        self.shell = shell
        self.value = value
        self.arguments = arguments
        self.user = user
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        _uris = try c.decode(Repeated<URI>.self, forKey: .uris)
        environment = try c.decodeIfPresent(Environment.self, forKey: .environment)
        shell = try c.decode(LenientOptional<Bool>.self, forKey: .shell).wrappedValue ?? true
        value = try c.decodeIfPresent(String.self, forKey: .value)
        _arguments = try c.decode(Repeated<String>.self, forKey: .arguments)
        user = try c.decodeIfPresent(String.self, forKey: .user)
    }

    /// A file to fetch into the sandbox before the command starts.
    public struct URI: Codable, Hashable, Sendable {
        public var value: String
        @LenientOptional public var executable: Bool?
        /// Defaults to true when absent.
        @LenientOptional public var extract: Bool?
        @LenientOptional public var cache: Bool?
        public var outputFile: String?

        enum CodingKeys: String, CodingKey {
            case value, executable, extract, cache, outputFile = "output_file"
        }

        public init(value: String, executable: Bool? = nil, extract: Bool? = nil, cache: Bool? = nil,
                    outputFile: String? = nil) {
            self.value = value
            self.executable = executable
            self.extract = extract
            self.cache = cache
            self.outputFile = outputFile
        }
    }
}

/// Environment variables for a command.
public struct Environment: Codable, Hashable, Sendable {
    @Repeated public var variables: [Variable]
    public init(_ variables: [Variable] = []) { self.variables = variables }
    public init(_ dictionary: [String: String]) {
        self.variables = dictionary.sorted { $0.key < $1.key }.map { Variable(name: $0.key, value: $0.value) }
    }

    public struct Variable: Codable, Hashable, Sendable {
        public var name: String
        /// VALUE (the default) or SECRET.
        public var type: VariableType?
        public var value: String?
        public init(name: String, value: String?, type: VariableType? = nil) {
            self.name = name
            self.value = value
            self.type = type
        }
    }

    public struct VariableType: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let unknown: VariableType = "UNKNOWN"
        public static let value: VariableType = "VALUE"
        public static let secret: VariableType = "SECRET"
    }
}
