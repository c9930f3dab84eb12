import ArgumentParser
import Foundation

/// Where manifests come from: `--repo PATH_OR_URL --ref REF [--path SUBDIR]`, shared by validate and plan.
struct SourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A git repository: a local path, or a URL (file://, https://, ssh://) cloned into the cache.",
        valueName: "path-or-url"))
    var repo: String?

    @Option(help: ArgumentHelp("The folder of the repository that holds the manifests.", valueName: "subdir"))
    var path: String?

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp(
        "Where remote repositories are cloned (default: $CONVERGE_CACHE_DIR or ~/.cache/converge/git).",
        valueName: "dir"))
    var cacheDir: String?

    /// The clone cache: --cache-dir, then $CONVERGE_CACHE_DIR, then ~/.cache/converge/git.
    var resolvedCacheDir: String {
        if let cacheDir, !cacheDir.isEmpty { return cacheDir }
        let env = ProcessInfo.processInfo.environment
        if let dir = env["CONVERGE_CACHE_DIR"], !dir.isEmpty { return dir }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".cache/converge/git")
    }

    /// The subfolder, normalised: no leading or trailing slashes; nil for the whole repository.
    var normalizedPath: String? {
        guard let path else { return nil }
        let trimmed = path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
        return trimmed.isEmpty ? nil : trimmed
    }

    func validatePath() throws {
        if let path, path.split(separator: "/").contains("..") {
            throw ValidationError("--path must stay inside the repository (no '..'): \(path)")
        }
    }
}

/// Prints a runtime error (not a usage error) and exits 1.
func fail(_ message: String) -> ExitCode {
    Console.err("error: \(message)\n")
    return ExitCode(1)
}
