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

    func validate() throws {
        _ = try DurationArgument.seconds(failoverTimeout, option: "--failover-timeout")
        guard maxDecommissions >= 1 else { throw ValidationError("--max-decommissions must be at least 1") }
    }

    func makeCore(stateDirectory: URL, logger: Logger) async throws -> SchedulerCore {
        var client = try await MasterOption.clientConfiguration(master, logger: logger)
        client.logger = logger
        var configuration = SchedulerCoreConfiguration(
            client: client, failoverTimeoutSeconds: try DurationArgument.seconds(failoverTimeout, option: "--failover-timeout"),
            maxConcurrentDecommissions: maxDecommissions, logger: logger)
        if let user { configuration.user = user }
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        return SchedulerCore(configuration: configuration, store: try StateStore(directory: stateDirectory))
    }
}
