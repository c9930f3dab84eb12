import Foundation
import Mesos

/// The Converge executor the controller launches tasks with (`--executor PATH_OR_URI`): one CUSTOM
/// executor per task, with its own small resources on top of the task's.
public struct ExecutorConfiguration: Sendable, Hashable {
    /// An absolute path on the agents, or an http(s)/file URI the Mesos fetcher downloads (cached).
    public var location: String
    /// The executor's own resources (defaults: cpus 0.05, mem 32 MB, disk 0).
    public var cpus: Double
    public var memMb: Double
    public var diskMb: Double
    /// Where the executor archives the task's logs (`--log-archive`): bucket, prefix, endpoint and region only.
    /// Credentials are never carried here (TaskInfo.data shows in `/master/state`): the executor reads them on the
    /// agent.
    public var logArchive: ExecutorTaskData.LogArchive?

    public static let defaultCpus = 0.05
    public static let defaultMemMb = 32.0
    public static let fetchedFileName = "converge-executor"

    /// Throws a message naming what is wrong with `location`.
    public init(location: String, cpus: Double = defaultCpus, memMb: Double = defaultMemMb, diskMb: Double = 0) throws(ExecutorConfigurationError) {
        let lower = location.lowercased()
        guard location.hasPrefix("/") || lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("file://") else {
            throw ExecutorConfigurationError(description: "'\(location)' is neither an absolute path nor an http, https or file URI")
        }
        guard cpus > 0, memMb > 0, diskMb >= 0 else {
            throw ExecutorConfigurationError(description: "executor resources must be positive (cpus \(cpus), mem \(memMb) MB, disk \(diskMb) MB)")
        }
        self.location = location
        self.cpus = cpus
        self.memMb = memMb
        self.diskMb = diskMb
    }

    /// A URI is fetched into the sandbox as `./converge-executor`; a path runs as it is.
    public var isFetched: Bool { !location.hasPrefix("/") }

    public var command: CommandInfo {
        if isFetched {
            return CommandInfo(value: "./\(Self.fetchedFileName)", shell: false, arguments: ["./\(Self.fetchedFileName)"],
                               uris: [CommandInfo.URI(value: location, executable: true, cache: true, outputFile: Self.fetchedFileName)])
        }
        return CommandInfo(value: location, shell: false, arguments: [location])
    }

    public var resources: ResourceAmounts { ResourceAmounts(cpus: cpus, memMb: memMb, diskMb: diskMb) }
}

public struct ExecutorConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
