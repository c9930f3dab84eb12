import Foundation

/// What the Converge executor needs to run a task, carried in `TaskInfo.data` as JSON (base64 on the wire, like every
/// Mesos `bytes` field).
///
/// A task launched with a CUSTOM executor must not carry `TaskInfo.command` (the master refuses a task with both), so
/// the command and everything around it travel here. Keys are snake_case like the rest of the Mesos JSON:
/// ```json
/// {"command": {"value": "./web --port $PORT0", "shell": true, "environment": {"variables": [...]}},
///  "artifacts": [{"uri": "https://host/web.tgz", "sha256": "ab12...", "extract": true, "executable": false}],
///  "health_check": {"type": "HTTP", "http": {"port": 31000, "path": "/health"}, ...},
///  "logs": {"max_size_mb": 10, "keep": 5, "compress": true},
///  "memory_mb": 128, "memory_soft_limit": 0.9, "kill_grace_seconds": 30, "service": "web"}
/// ```
/// Every field but `command` may be omitted; the documented defaults apply.
public struct ExecutorTaskData: Codable, Sendable, Hashable {
    /// The task's command as Mesos spells it (`value`, `shell`, `arguments`, `environment`, `user`). `uris` are not
    /// used: artifacts are fetched by the executor from `artifacts`. The environment carries the task's ports
    /// (`PORT0`, `PORT_<NAME>`...) exactly as a command task's environment would.
    public var command: CommandInfo
    /// Fetched in order into the sandbox before the command starts.
    public var artifacts: [Artifact]
    /// Run by the executor itself (Mesos runs health checks only for its built-in executors).
    public var healthCheck: HealthCheck?
    /// Rotation of the task's `stdout` and `stderr`; absent means the defaults (10 MB, keep 5, compressed).
    public var logs: LogPolicy
    /// The memory the task may use, in MB. Absent: the task's `mem` resource.
    public var memoryMB: Double?
    /// The fraction of `memory_mb` above which the executor asks the task to stop (SIGTERM, grace, SIGKILL).
    /// Default 0.9; 0 turns the watch off.
    public var memorySoftLimit: Double
    /// SIGTERM-to-SIGKILL grace when neither the KILL event nor `TaskInfo.kill_policy` says otherwise.
    /// Absent: the default of Mesos' command executor (3 s).
    public var killGraceSeconds: Double?
    /// The Converge service (workload) name, for the executor's log lines.
    public var service: String?
    /// Reserved: where rotated logs are archived (S3-compatible store).
    public var logArchive: LogArchive?

    enum CodingKeys: String, CodingKey {
        case command, artifacts, healthCheck = "health_check", logs, memoryMB = "memory_mb"
        case memorySoftLimit = "memory_soft_limit", killGraceSeconds = "kill_grace_seconds", service
        case logArchive = "log_archive"
    }

    public static let defaultMemorySoftLimit = 0.9
    public static let defaultKillGraceSeconds = 3.0

    public init(
        command: CommandInfo, artifacts: [Artifact] = [], healthCheck: HealthCheck? = nil,
        logs: LogPolicy = LogPolicy(), memoryMB: Double? = nil,
        memorySoftLimit: Double = ExecutorTaskData.defaultMemorySoftLimit, killGraceSeconds: Double? = nil,
        service: String? = nil, logArchive: LogArchive? = nil
    ) {
        self.command = command
        self.artifacts = artifacts
        self.healthCheck = healthCheck
        self.logs = logs
        self.memoryMB = memoryMB
        self.memorySoftLimit = memorySoftLimit
        self.killGraceSeconds = killGraceSeconds
        self.service = service
        self.logArchive = logArchive
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        command = try c.decode(CommandInfo.self, forKey: .command)
        artifacts = try c.decode(Repeated<Artifact>.self, forKey: .artifacts).wrappedValue
        healthCheck = try c.decodeIfPresent(HealthCheck.self, forKey: .healthCheck)
        logs = try c.decodeIfPresent(LogPolicy.self, forKey: .logs) ?? LogPolicy()
        memoryMB = try c.decode(LenientOptional<Double>.self, forKey: .memoryMB).wrappedValue
        memorySoftLimit = try c.decode(LenientOptional<Double>.self, forKey: .memorySoftLimit).wrappedValue
            ?? Self.defaultMemorySoftLimit
        killGraceSeconds = try c.decode(LenientOptional<Double>.self, forKey: .killGraceSeconds).wrappedValue
        service = try c.decodeIfPresent(String.self, forKey: .service)
        logArchive = try c.decodeIfPresent(LogArchive.self, forKey: .logArchive)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(command, forKey: .command)
        try c.encode(Repeated(wrappedValue: artifacts), forKey: .artifacts)
        try c.encodeIfPresent(healthCheck, forKey: .healthCheck)
        try c.encode(logs, forKey: .logs)
        try c.encodeIfPresent(memoryMB, forKey: .memoryMB)
        try c.encode(memorySoftLimit, forKey: .memorySoftLimit)
        try c.encodeIfPresent(killGraceSeconds, forKey: .killGraceSeconds)
        try c.encodeIfPresent(service, forKey: .service)
        try c.encodeIfPresent(logArchive, forKey: .logArchive)
    }

    /// The value for `TaskInfo.data`.
    public func taskData() throws -> Bytes {
        Bytes(try MesosJSON.encode(self))
    }

    /// Reads `TaskInfo.data`; the error names the field that is wrong.
    public init(taskData: Bytes) throws {
        do {
            self = try MesosJSON.decode(ExecutorTaskData.self, from: taskData.data)
        } catch let error as DecodingError {
            throw ExecutorTaskDataError(error)
        }
    }

    /// A file the executor fetches into the sandbox before the task starts.
    public struct Artifact: Codable, Sendable, Hashable {
        /// `file://`, `http://` or `https://`; a plain absolute path is read as `file://`.
        public var uri: String
        /// Lowercase hex SHA-256 of the content; a mismatch fails the task before anything starts.
        public var sha256: String?
        /// Unpack `.tar.gz`, `.tgz`, `.tar` and `.zip` into the sandbox. Default true (as the Mesos fetcher).
        public var extract: Bool
        /// Set the executable bit on the fetched file. Default false.
        public var executable: Bool
        /// Go through the agent-wide cache (download once per agent). Default true; false downloads afresh.
        public var cache: Bool
        /// The file name in the sandbox; default the last path component of the URI.
        public var outputFile: String?

        enum CodingKeys: String, CodingKey {
            case uri, sha256, extract, executable, cache, outputFile = "output_file"
        }

        public init(uri: String, sha256: String? = nil, extract: Bool = true, executable: Bool = false,
                    cache: Bool = true, outputFile: String? = nil) {
            self.uri = uri
            self.sha256 = sha256
            self.extract = extract
            self.executable = executable
            self.cache = cache
            self.outputFile = outputFile
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            uri = try c.decode(String.self, forKey: .uri)
            sha256 = try c.decodeIfPresent(String.self, forKey: .sha256)
            extract = try c.decode(LenientOptional<Bool>.self, forKey: .extract).wrappedValue ?? true
            executable = try c.decode(LenientOptional<Bool>.self, forKey: .executable).wrappedValue ?? false
            cache = try c.decode(LenientOptional<Bool>.self, forKey: .cache).wrappedValue ?? true
            outputFile = try c.decodeIfPresent(String.self, forKey: .outputFile)
        }
    }

    /// Size-based rotation of the sandbox's `stdout` and `stderr`.
    public struct LogPolicy: Codable, Sendable, Hashable {
        /// Rotate a file when it would grow past this size. Default 10.
        public var maxSizeMB: Double
        /// Rotated files kept (`stdout.1` ... `stdout.<keep>`). Default 5.
        public var keep: Int
        /// gzip rotated files (`stdout.1.gz`). Default true.
        public var compress: Bool

        enum CodingKeys: String, CodingKey { case maxSizeMB = "max_size_mb", keep, compress }

        public init(maxSizeMB: Double = 10, keep: Int = 5, compress: Bool = true) {
            self.maxSizeMB = maxSizeMB
            self.keep = keep
            self.compress = compress
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxSizeMB = try c.decode(LenientOptional<Double>.self, forKey: .maxSizeMB).wrappedValue ?? 10
            keep = try c.decode(LenientOptional<Int>.self, forKey: .keep).wrappedValue ?? 5
            compress = try c.decode(LenientOptional<Bool>.self, forKey: .compress).wrappedValue ?? true
        }
    }

    /// Reserved for archiving rotated logs to an S3-compatible store.
    public struct LogArchive: Codable, Sendable, Hashable {
        public var bucket: String
        public var prefix: String?
        public var endpoint: String?
        public var region: String?
        /// A file on the agent holding the credentials (never the credentials themselves).
        public var credentialsFile: String?

        enum CodingKeys: String, CodingKey {
            case bucket, prefix, endpoint, region, credentialsFile = "credentials_file"
        }

        public init(bucket: String, prefix: String? = nil, endpoint: String? = nil, region: String? = nil,
                    credentialsFile: String? = nil) {
            self.bucket = bucket
            self.prefix = prefix
            self.endpoint = endpoint
            self.region = region
            self.credentialsFile = credentialsFile
        }
    }
}

/// `TaskInfo.data` could not be read as `ExecutorTaskData`.
public struct ExecutorTaskDataError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ error: DecodingError) {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "TaskInfo.data" : "TaskInfo.data" + keys
        }
        switch error {
        case .keyNotFound(let key, let context):
            description = "\(path(context)): missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            description = "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            description = "\(path(context)): \(context.debugDescription)"
        @unknown default:
            description = "TaskInfo.data: \(error)"
        }
    }
}
