import Foundation
import Mesos

/// What the agent tells an executor through its environment (`MESOS_*`, see MESOS-EXECUTOR.md 1.2), plus the
/// Converge settings (`CONVERGE_*`).
public struct ExecutorEnvironment: Sendable, Hashable {
    /// `host:port` of the agent.
    public var agentEndpoint: String
    public var frameworkID: FrameworkID
    public var executorID: ExecutorID
    public var agentID: AgentID?
    /// The sandbox (`MESOS_DIRECTORY`; `MESOS_SANDBOX` differs only with container images).
    public var directory: String
    public var checkpoint: Bool
    /// How long to keep trying to re-subscribe after the agent went away (checkpointed frameworks).
    public var recoveryTimeout: Duration
    /// Cap on the delay between re-subscribe attempts.
    public var subscriptionBackoffMax: Duration
    /// How long the agent waits after SHUTDOWN before it kills this executor.
    public var shutdownGracePeriod: Duration
    /// The agent-wide artifact cache folder.
    public var artifactCache: String
    /// Bound on the artifact cache, bytes.
    public var artifactCacheMaxBytes: UInt64
    /// How long the executor waits, after its task ended, for the final logs to reach the archive
    /// (`CONVERGE_LOG_UPLOAD_TIMEOUT`, seconds, default 60); also each rotated piece's retry window.
    public var logUploadTimeout: Double

    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static let defaultArtifactCacheMaxMB: UInt64 = 2048

    public init(_ environment: [String: String]) throws(Invalid) {
        func required(_ name: String) throws(Invalid) -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw Invalid(description: "\(name) is not set: converge-executor must be started by a Mesos agent")
            }
            return value
        }
        func duration(_ name: String, default fallback: Duration) throws(Invalid) -> Duration {
            guard let text = environment[name], !text.isEmpty else { return fallback }
            guard let value = MesosDuration.parse(text) else {
                throw Invalid(description: "\(name)='\(text)' is not a Mesos duration (like 15mins or 2secs)")
            }
            return value
        }
        agentEndpoint = try required("MESOS_AGENT_ENDPOINT")
        frameworkID = FrameworkID(try required("MESOS_FRAMEWORK_ID"))
        executorID = ExecutorID(try required("MESOS_EXECUTOR_ID"))
        agentID = (environment["MESOS_SLAVE_ID"] ?? environment["MESOS_AGENT_ID"]).map(AgentID.init)
        directory = try required("MESOS_DIRECTORY")
        checkpoint = environment["MESOS_CHECKPOINT"] == "1"
        recoveryTimeout = try duration("MESOS_RECOVERY_TIMEOUT", default: .seconds(15 * 60))
        subscriptionBackoffMax = try duration("MESOS_SUBSCRIPTION_BACKOFF_MAX", default: .seconds(2))
        shutdownGracePeriod = try duration("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", default: .seconds(5))
        if let cache = environment["CONVERGE_ARTIFACT_CACHE"], !cache.isEmpty {
            artifactCache = cache
        } else {
            artifactCache = Self.workDirectory(ofSandbox: directory) + "/converge-artifact-cache"
        }
        if let text = environment["CONVERGE_ARTIFACT_CACHE_MAX_MB"], !text.isEmpty {
            guard let megabytes = UInt64(text), megabytes > 0 else {
                throw Invalid(description: "CONVERGE_ARTIFACT_CACHE_MAX_MB='\(text)' is not a positive number of MB")
            }
            artifactCacheMaxBytes = megabytes << 20
        } else {
            artifactCacheMaxBytes = Self.defaultArtifactCacheMaxMB << 20
        }
        if let text = environment["CONVERGE_LOG_UPLOAD_TIMEOUT"], !text.isEmpty {
            guard let seconds = Double(text), seconds > 0 else {
                throw Invalid(description: "CONVERGE_LOG_UPLOAD_TIMEOUT='\(text)' is not a positive number of seconds")
            }
            logUploadTimeout = seconds
        } else {
            logUploadTimeout = 60
        }
    }

    /// The agent's work_dir: the sandbox is `<work_dir>/slaves/<AG>/frameworks/<FW>/executors/<EX>/runs/<CID>`.
    /// A sandbox in another layout keeps its cache next to itself (its parent folder).
    static func workDirectory(ofSandbox sandbox: String) -> String {
        let parts = sandbox.split(separator: "/", omittingEmptySubsequences: false)
        if let index = parts.lastIndex(of: "slaves"), index > 0,
           parts.count >= index + 8, parts[index + 2] == "frameworks", parts[index + 4] == "executors",
           parts[index + 6] == "runs" {
            let work = parts[..<index].joined(separator: "/")
            return work.isEmpty ? "/" : work
        }
        let parent = parts.dropLast().joined(separator: "/")
        return parent.isEmpty ? "/" : parent
    }
}

/// Mesos' duration syntax: a number and a unit (`ns`, `us`, `ms`, `secs`, `mins`, `hrs`, `days`, `weeks`).
enum MesosDuration {
    static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let split = trimmed.firstIndex(where: { !($0.isNumber || $0 == ".") }) else { return nil }
        guard let number = Double(trimmed[..<split]), number >= 0 else { return nil }
        let scale: Double
        switch trimmed[split...] {
        case "ns": scale = 1e-9
        case "us": scale = 1e-6
        case "ms": scale = 1e-3
        case "secs", "s": scale = 1
        case "mins": scale = 60
        case "hrs": scale = 3600
        case "days": scale = 86400
        case "weeks": scale = 604800
        default: return nil
        }
        return .nanoseconds(Int64(number * scale * 1e9))
    }
}
