import ArgumentParser
import Reconciler

/// `converge validate [DIR] | --repo PATH_OR_URL --ref REF [--path SUBDIR] [--format text|json|github]`
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the manifests of a folder or of a git revision.",
        discussion: """
            Reports every error of every file in one run, each with file, line, column and field path.
            A DIR inside a git work tree is read from the working tree, so uncommitted edits count.
            Exit status: 0 valid, 1 invalid or unreadable, 64 usage error.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github
    }

    @Argument(help: ArgumentHelp("A folder of manifests (default: the current folder).", valueName: "dir"))
    var directory: String?

    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("A branch, tag or commit of --repo.", valueName: "ref"))
    var ref: String?

    @Option(help: "Output format.")
    var format: Format = .text

    func validate() throws {
        try source.validatePath()
        if directory != nil, source.repo != nil {
            throw ValidationError("Give either a folder or --repo, not both.")
        }
        if ref != nil, source.repo == nil {
            throw ValidationError("--ref needs --repo.")
        }
        if source.repo != nil, ref == nil {
            throw ValidationError("--repo needs --ref (a branch, tag or commit).")
        }
    }

    func run() async throws {
        let loaded: LoadedRevision
        do {
            let loader = ManifestLoader(cache: .singleLoad())
            Teardown.skip(loader.cache)
            if let repo = source.repo, let ref {
                let repository = try RepositorySource.open(repo, cacheDirectory: source.resolvedCacheDir)
                loaded = try loader.load(repository: repository, ref: ref, path: source.normalizedPath)
            } else {
                loaded = try loader.loadDirectory(directory ?? ".", path: source.normalizedPath)
            }
        } catch {
            throw fail(String(describing: error))
        }

        let report = ValidationReport(
            manifests: loaded.manifestCount,
            problems: loaded.problems.map(ValidationReport.Problem.init))
        switch format {
        case .text: Console.out(report.text(style: .forStandardOutput()))
        case .json: Console.out(report.json.rendered())
        case .github: Console.out(report.github)
        }
        Teardown.skip(loaded)
        if !report.isValid { throw ExitCode(1) }
    }
}
