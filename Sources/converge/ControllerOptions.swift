import ArgumentParser
import Foundation
import Reconciler

/// What the controller commands share: where the manifests come from and how careful deletes are.
struct ControllerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The git repository: a local path, or a URL cloned into the cache.", valueName: "path-or-url"))
    var repo: String

    @Option(help: ArgumentHelp("The branch to follow.", valueName: "branch"))
    var branch: String?

    @Option(help: ArgumentHelp("A tag or commit sha to pin instead of a branch.", valueName: "ref"))
    var ref: String?

    @Option(help: ArgumentHelp("The folder of the repository that holds the manifests.", valueName: "subdir"))
    var path: String?

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp(
        "Where remote repositories are cloned (default: $CONVERGE_CACHE_DIR or ~/.cache/converge/git).", valueName: "dir"))
    var cacheDir: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp(
        "Framework id, overrides, history (default: $CONVERGE_STATE_DIR or ~/.local/state/converge).", valueName: "dir"))
    var stateDir: String?

    @Option(help: ArgumentHelp("Seconds or a duration (30s, 5m) between polls of the source.", valueName: "duration"))
    var pollInterval: String = "30s"

    @Flag(inversion: .prefixedNo, help: "Stop services that are gone from the repository.")
    var prune: Bool = true

    @Option(help: ArgumentHelp("Refuse plans deleting more than this share of the running services.", valueName: "share"))
    var maxDeleteShare: Double = 0.2

    @Flag(help: "Apply plans that delete many or all services.")
    var allowMassDelete: Bool = false

    func validate() throws {
        if branch != nil, ref != nil { throw ValidationError("give --branch or --ref, not both") }
        if let path, path.split(separator: "/").contains("..") {
            throw ValidationError("--path must stay inside the repository (no '..'): \(path)")
        }
        guard (0...1).contains(maxDeleteShare) else { throw ValidationError("--max-delete-share must be between 0 and 1") }
        _ = try DurationArgument.seconds(pollInterval, option: "--poll-interval")
    }

    var source: ManifestSource {
        let normalized = path.map { $0.split(separator: "/").filter { $0 != "." }.joined(separator: "/") }.flatMap { $0.isEmpty ? nil : $0 }
        return .git(repository: repo, ref: ref ?? branch ?? "HEAD", path: normalized, cacheDirectory: resolvedCacheDir)
    }

    var resolvedCacheDir: String {
        if let cacheDir, !cacheDir.isEmpty { return cacheDir }
        return Self.userDirectory(env: "CONVERGE_CACHE_DIR", under: ".cache/converge/git")
    }

    var resolvedStateDir: URL {
        if let stateDir, !stateDir.isEmpty { return URL(fileURLWithPath: stateDir) }
        return URL(fileURLWithPath: Self.userDirectory(env: "CONVERGE_STATE_DIR", under: ".local/state/converge"))
    }

    func configuration(source: ManifestSource? = nil) throws -> ControllerConfiguration {
        ControllerConfiguration(
            source: source ?? self.source, pollIntervalSeconds: try DurationArgument.seconds(pollInterval, option: "--poll-interval"),
            prune: prune, maxDeleteShare: maxDeleteShare, allowMassDelete: allowMassDelete, stateDirectory: resolvedStateDir)
    }

    static func userDirectory(env name: String, under relative: String) -> String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env[name], !dir.isEmpty { return dir }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(relative)
    }
}

/// Durations on the command line (`90`, `30s`, `15m`, `2h`, `1d`, `1h30m`) as usage errors naming the option.
enum DurationArgument {
    static func seconds(_ text: String, option: String) throws -> Double {
        if let plain = Double(text.trimmingCharacters(in: .whitespaces)), plain >= 0 { return plain }
        do {
            return try OverrideDuration.parse(text)
        } catch {
            throw ValidationError("\(option): \(error)")
        }
    }
}
