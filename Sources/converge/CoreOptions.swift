import ArgumentParser
import Foundation
import Logging
import Mesos
import Scheduler

/// How the scheduler core reaches Mesos.
struct CoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Mesos master URL(s), comma separated (http://host:5050), or zk://host:port[,host:port]/path to follow the leader.",
        valueName: "url"))
    var master: String

    @Option(help: ArgumentHelp("How long Mesos keeps the tasks while Converge is away.", valueName: "duration"))
    var failoverTimeout: String = "7d"

    @Option(help: ArgumentHelp("Unix user for tasks whose manifest names none (default: the current user).", valueName: "user"))
    var user: String?

    @Option(help: ArgumentHelp("Agents decommissioned at once.", valueName: "n"))
    var maxDecommissions: Int = 1

    @Option(help: ArgumentHelp(
        "Run tasks under the Converge executor: its absolute path on the agents, or an http, https or file URI the Mesos fetcher downloads (cached). Default: Mesos' command executor.",
        valueName: "path-or-uri"))
    var executor: String?

    @Option(help: ArgumentHelp("CPUs of each task's Converge executor, on top of the task's.", valueName: "cpus"))
    var executorCpus: Double = ExecutorConfiguration.defaultCpus

    @Option(help: ArgumentHelp("Memory (MB) of each task's Converge executor, on top of the task's.", valueName: "mb"))
    var executorMem: Double = ExecutorConfiguration.defaultMemMb

    func validate() throws {
        _ = try DurationArgument.seconds(failoverTimeout, option: "--failover-timeout")
        guard maxDecommissions >= 1 else { throw ValidationError("--max-decommissions must be at least 1") }
        _ = try executorConfiguration()
    }

    /// The `--executor` settings; nil without the flag.
    func executorConfiguration() throws -> ExecutorConfiguration? {
        guard let executor else { return nil }
        do {
            return try ExecutorConfiguration(location: executor, cpus: executorCpus, memMb: executorMem)
        } catch {
            throw ValidationError("--executor: \(error.description)")
        }
    }

    /// `logArchive`: the executor's archive settings (from `--log-archive`), carried in each task's data.
    func makeCore(stateDirectory: URL, logger: Logger, logArchive: ExecutorTaskData.LogArchive? = nil) async throws -> SchedulerCore {
        var client = try await MasterOption.clientConfiguration(master, logger: logger)
        client.logger = logger
        var configuration = SchedulerCoreConfiguration(
            client: client, failoverTimeoutSeconds: try DurationArgument.seconds(failoverTimeout, option: "--failover-timeout"),
            maxConcurrentDecommissions: maxDecommissions, logger: logger)
        if let user { configuration.user = user }
        configuration.executor = try executorConfiguration()
        configuration.executor?.logArchive = logArchive
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        return SchedulerCore(configuration: configuration, store: try StateStore(directory: stateDirectory))
    }
}
