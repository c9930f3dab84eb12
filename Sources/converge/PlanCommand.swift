import ArgumentParser
import Reconciler

/// `converge plan --repo PATH_OR_URL --ref TARGET [--base BASE] [--path SUBDIR] [--format text|json|markdown]`
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what converging from one revision to another would change.",
        discussion: """
            Without --base the plan is against an empty cluster. Env values whose key looks like a
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

    @Option(help: "Output format.")
    var format: Format = .text

    func validate() throws {
        try source.validatePath()
    }

    func run() async throws {
        let report: PlanReport
        do {
            let repository = try RepositorySource.open(source.repo ?? ".", cacheDirectory: source.resolvedCacheDir)
            let loader = ManifestLoader(cache: ManifestCache())
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
            if let base {
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

        switch format {
        case .text: Console.out(report.text(style: .forStandardOutput()))
        case .json: Console.out(report.json.rendered())
        case .markdown: Console.out(report.markdown)
        }
        Teardown.skip(report)
        if !report.plan.isEmpty { throw ExitCode(2) }
    }
}
