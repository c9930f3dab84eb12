import ArgumentParser
import DevCluster
import Foundation
import Logging
import Mesos
import Reconciler
import ServiceLifecycle

/// `converge dev`: the embedded default. A local dev cluster and the controller in one process.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run a local dev cluster and the controller on a repository (default: examples/).",
        discussion: """
            A folder that is a git repository is followed at HEAD (new commits are noticed within about two \
            seconds); any other folder is read as it is on disk (saved files are noticed the same way). \
            Stops on SIGINT or SIGTERM and kills the dev cluster's tasks.
            """
    )

    @Option(help: ArgumentHelp("The manifests: a git repository or a plain folder.", valueName: "dir"))
    var repo: String = "examples"

    @Option(help: ArgumentHelp("The folder of the repository that holds the manifests.", valueName: "subdir"))
    var path: String?

    @Option(help: "Agents of the dev cluster.")
    var agents: Int = 3

    @Option(help: ArgumentHelp("Address of the controller's HTTP API (port 0 picks one).", valueName: "host:port"))
    var listen: String = APIConfiguration.defaultListen.description

    @Option(help: ArgumentHelp("Address of the master, HOST:PORT (port 0 picks one).", valueName: "addr"))
    var masterListen: String = "127.0.0.1:0"

    @Option(help: ArgumentHelp("State folder (default: a new temporary folder).", valueName: "dir"))
    var stateDir: String?

    @Flag(help: "Exit 0 once the repository runs (1 if a deploy fails), instead of serving until interrupted.")
    var exitWhenConverged: Bool = false

    @Option(help: ArgumentHelp("With --exit-when-converged: give up after this long.", valueName: "duration"))
    var timeout: String = "5m"

    @OptionGroup var notify: NotifyOptions
    @OptionGroup var logArchive: LogArchiveOptions

    @Option(help: ArgumentHelp(
        "Run tasks under the Converge executor: a path (relative paths are resolved here) or an http, https or file URI.",
        valueName: "path-or-uri"))
    var executor: String?

    /// `--executor` with a relative path made absolute (the dev cluster's agents share this machine).
    var executorLocation: String? {
        guard let executor else { return nil }
        if executor.hasPrefix("/") || executor.contains("://") { return executor }
        return URL(fileURLWithPath: executor).standardizedFileURL.path
    }

    func validate() throws {
        guard agents >= 1 else { throw ValidationError("--agents must be at least 1") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repo, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--repo: no folder at '\(repo)'")
        }
        _ = try DurationArgument.seconds(timeout, option: "--timeout")
        if let path = executorLocation, path.hasPrefix("/"), !FileManager.default.isExecutableFile(atPath: path) {
            throw ValidationError("--executor: no executable file at '\(path)'")
        }
    }

    func run() async throws {
        ProcessMemory.limitArenas()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .notice
            return handler
        }
        let logger = Logger(label: "converge")
        let parts = masterListen.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--master-listen must be HOST:PORT") }
        var settings = DevClusterConfig(port: port, agents: agents, virtual: false)
        settings.host = String(parts[0])
        if logArchive.logArchive != nil {
            // The agents run on this machine: their executors get this environment's AWS settings (never TaskInfo).
            settings.executorEnvironmentVariables = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("AWS_") }
        }
        let cluster = try await DevCluster.start(settings)
        print("dev cluster: master \(cluster.masterURL), \(cluster.agents.count) agents")

        let stateDirectory = stateDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("converge-dev-\(getpid())")
        let isGit = FileManager.default.fileExists(atPath: (repo as NSString).appendingPathComponent(".git"))
        let source: ManifestSource = isGit
            ? .git(repository: repo, ref: "HEAD", path: path, cacheDirectory: stateDirectory.appendingPathComponent("git").path)
            : .folder(repo, path: path)
        let core = try await CoreOptions.dev(master: cluster.masterURL, executor: executorLocation)
            .makeCore(stateDirectory: stateDirectory, logger: logger, logArchive: try logArchive.executorSettings())
        let metrics = ControllerMetrics()
        let notifier = try notify.makeNotifier(metrics: metrics, logger: logger)
        let following = await notifier?.follow(core)
        let controller = try Controller(
            configuration: ControllerConfiguration(source: source, pollIntervalSeconds: 1, stateDirectory: stateDirectory),
            core: core, logger: logger, onSync: {
                metrics.recordSync($0, duration: .seconds($1))
                notifier?.syncRecorded($0)
                ProcessMemory.releaseFreed()
            })
        let listenAddress: ListenAddress
        do { listenAddress = try ListenAddress(parsing: listen) } catch { throw ValidationError("--listen: \(error)") }
        // A local admin token, so `converge scale web 3` works against this controller as it is.
        let token = DevCredentials.newToken()
        let tokenFile = stateDirectory.appendingPathComponent("api-token").path
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: tokenFile, contents: Data((token + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw fail("cannot write \(tokenFile)")
        }
        let api = try await APIServer(handle: controller, configuration: APIConfiguration(listen: listenAddress, tokenFile: tokenFile),
                                      metrics: metrics, audit: core.store, logger: logger,
                                      logs: try logArchive.access(masters: [cluster.masterURL])).start()
        let credentials = DevCredentials(server: api.baseURL, token: token, pid: getpid())
        try credentials.write()
        defer { DevCredentials.remove(pid: credentials.pid) }
        print("API: \(api.baseURL) (converge status, converge scale NAME N: this server and its admin token are found in \(DevCredentials.directory.path))")
        print("Dashboard: \(api.baseURL)/")
        print("watching \(repo)\(isGit ? " (git, HEAD)" : " (folder)"); state in \(stateDirectory.path)")
        fflush(nil)

        let watcher = ProgressService(controller: controller, exitWhenConverged: exitWhenConverged,
                                      timeoutSeconds: try DurationArgument.seconds(timeout, option: "--timeout"))
        let services: [any Service] = [DevClusterService(cluster: cluster), ControllerService(controller: controller), watcher]
        let group = ServiceGroup(configuration: .init(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        following?.cancel()
        await notifier?.stop()
        await api.stop()
        if stateDir == nil { try? FileManager.default.removeItem(at: stateDirectory) }
        if let code = watcher.outcome.value, code != 0 { throw ExitCode(code) }
    }
}

extension CoreOptions {
    /// A dev cluster's options: its master, short failover (the cluster dies with the process).
    static func dev(master: String, executor: String? = nil) throws -> CoreOptions {
        try CoreOptions.parse(["--master", master, "--failover-timeout", "1h"] + (executor.map { ["--executor", $0] } ?? []))
    }
}

/// Keeps the in-process dev cluster up until the group shuts down, then kills its tasks.
struct DevClusterService: Service {
    let cluster: RunningCluster

    func run() async throws {
        try? await gracefulShutdown()
        await cluster.shutdown()
    }
}
