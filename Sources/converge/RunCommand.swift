import ArgumentParser
import Foundation
import Logging
import Reconciler
import ServiceLifecycle

/// `converge run`: the controller, pinned to a branch, tag or sha, until SIGTERM.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Keep a Mesos cluster at a repository's revision (the controller).",
        discussion: """
            Polls the repository (and syncs at once on a signed webhook, POST /hooks/git), plans each revision \
            against what runs, and hands it to the scheduler core. Invalid revisions are rejected whole; an \
            unreachable remote changes nothing. Stops on SIGINT or SIGTERM; tasks keep running.
            """
    )

    @OptionGroup var source: ControllerOptions
    @OptionGroup var core: CoreOptions
    @OptionGroup var api: APIOptions
    @OptionGroup var notify: NotifyOptions
    @OptionGroup var logArchive: LogArchiveOptions

    func run() async throws {
        ProcessMemory.limitArenas()
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "converge")
        let configuration = try source.configuration()
        let schedulerCore = try await core.makeCore(stateDirectory: configuration.stateDirectory!, logger: logger,
                                                     logArchive: try logArchive.executorSettings())
        let metrics = ControllerMetrics()
        let notifier = try notify.makeNotifier(metrics: metrics, logger: logger)
        let following = await notifier?.follow(schedulerCore)
        let controller = try Controller(configuration: configuration, core: schedulerCore, logger: logger,
                                        onSync: {
                metrics.recordSync($0, duration: .seconds($1))
                notifier?.syncRecorded($0)
                ProcessMemory.releaseFreed()
            })
        // The agents' files are found through an HTTP master; with zk:// discovery, logs are read from none (docs/logs.md).
        let masters = core.master.hasPrefix("zk://") ? [] : core.master.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let server = APIServer(handle: controller, configuration: try api.configuration(), metrics: metrics,
                               audit: schedulerCore.store, logger: logger, logs: try logArchive.access(masters: masters))
        let services: [any Service] = [ControllerService(controller: controller), server]
        logger.info("converge run: \(configuration.source.description.repository) at \(source.ref ?? source.branch ?? "HEAD"), API on http://\(api.listen), dashboard at http://\(api.listen)/")
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        following?.cancel()
        await notifier?.stop()
    }
}
