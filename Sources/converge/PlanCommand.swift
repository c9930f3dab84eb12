import ArgumentParser
import Logging
import Mesos
import Reconciler

/// `converge plan --repo PATH_OR_URL --ref TARGET [--base BASE | --server URL | --master URL] [--path SUBDIR] [--format text|json|markdown]`
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what converging from one revision to another would change.",
        discussion: """
            Without --base, --server or --master the plan is against an empty cluster. With --master it is
            against the tasks a Mesos master runs with Converge's labels. With --server it is
            against what a running controller runs (GET /api/v1/actual); secret values the server
            masks cannot be compared, but a changed secret still shows as a deploy. Env values whose key looks like a
            secret (SECRET, PASSWORD, TOKEN, KEY, CREDENTIAL) are shown as (sensitive).
            Exit status: 0 no changes, 2 changes (in-place updates count), 1 error
            (an invalid target prints its validation errors), 64 usage error.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("The revision to converge to: a branch, tag or commit.", valueName: "ref"))
    var ref: String

    @Option(help: ArgumentHelp("The revision running now (default: an empty cluster).", valueName: "ref"))
    var base: String?

    @Option(help: ArgumentHelp("Plan against a running controller's actual state (its API URL).", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp(
        "Plan against a Mesos master's state (the tasks Converge launched, by their labels); zk:// finds the leader.",
        valueName: "url"))
    var master: String?

    @Option(help: "Output format.")
    var format: Format = .text

    func validate() throws {
        try source.validatePath()
        if [base, server, master].compactMap({ $0 }).count > 1 {
            throw ValidationError("--base, --server and --master are exclusive: plan against one of them")
        }
    }

    func run() async throws {
        let report: PlanReport
        do {
            let repository = try RepositorySource.open(source.repo ?? ".", cacheDirectory: source.resolvedCacheDir)
            // Two loads (target and --base) share their parses; one load keeps nothing for later.
            let loader = ManifestLoader(cache: base == nil ? .singleLoad() : ManifestCache())
            let target = try loader.load(repository: repository, ref: ref, path: source.normalizedPath)
            Teardown.skip(loader.cache, target)
            guard let desired = target.view, target.problems.isEmpty else {
                let validation = ValidationReport(
                    manifests: target.manifestCount,
                    problems: target.problems.map(ValidationReport.Problem.init))
                Console.err(validation.text(style: .forStandardError()))
                throw fail("the target revision \(ref) (\(shortSHA(target.commit ?? ""))) is invalid; nothing planned")
            }
            var actual = ClusterView.empty
            var baseCommit: String?
            if let server {
                let client = try APIClient(server: server, token: nil)
                let data = try await APIClient.run { try await client.send("GET", "/api/v1/actual") }
                let document = try ActualDocument.parse(data)
                actual = document.view.unmaskingSensitiveFields(from: desired)
                baseCommit = document.revision
            } else if let master {
                let client = OperatorClient(configuration: try await MasterOption.clientConfiguration(master, logger: Logger(label: "converge")))
                actual = ClusterView(master: try await client.state(), hints: target.manifests?.workloads ?? [:])
            } else if let base {
                let loadedBase = try loader.load(repository: repository, ref: base, path: source.normalizedPath)
                guard let view = loadedBase.view else {
                    throw fail("the base revision \(base) is invalid (\(loadedBase.problems.count) errors); run converge validate on it")
                }
                actual = view
                baseCommit = loadedBase.commit
            }
            report = PlanReport(
                base: baseCommit, target: target.commit ?? "",
                plan: Planner.plan(desired: desired, actual: actual))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(String(describing: error))
        }

        let output: OutputChunks
        switch format {
        case .text: output = report.text(style: .forStandardOutput())
        case .json: output = report.json
        case .markdown: output = report.markdown
        }
        Console.out(output)
        Teardown.skip(report, output)
        if !report.plan.isEmpty { throw ExitCode(2) }
    }
}
