import ArgumentParser
import CYAML
import Foundation
import GitSource
import Manifests
import Reconciler

/// `converge-bench manifests`: validate and plan a generated repository of 10,000 manifests, against
/// PyYAML's C loader (the peer) and raw libyaml event parsing (the floor). See docs/benchmarks.md.
struct ManifestsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifests",
        abstract: "Cold validate + plan, warm re-plan after a one-file commit, peak memory.")

    @Option(help: "Workload manifests to generate.")
    var count = 10_000

    @Option(help: "Runs of each measurement; the best is reported.")
    var runs = 3

    @Flag(help: "Keep the generated repository (its path is printed).")
    var keep = false

    func run() throws {
        let root = NSTemporaryDirectory() + "converge-bench-manifests-\(UUID().uuidString)"
        let repo = root + "/repo"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: root) } }

        print("Machine: \(Self.machine())")
        let corpus = Corpus(workloads: count)
        try corpus.write(to: URL(fileURLWithPath: repo))
        try Self.git(["init", "-q", "-b", "main"], in: repo)
        try Self.git(["add", "-A"], in: repo)
        try Self.git(["commit", "-q", "-m", "generated corpus"], in: repo)
        let base = try Self.git(["rev-parse", "HEAD"], in: repo)
        // The one-file change of (b): a new env value in one Service, i.e. a deploy.
        let changed = corpus.files.first { $0.path.contains("/services/ser-") }!
        let name = (changed.path as NSString).lastPathComponent.replacingOccurrences(of: ".yaml", with: "")
        let index = Int(name.split(separator: "-").last!)!
        try Data(Corpus.manifest(index: index, name: name, kind: "Service", team: changed.path.split(separator: "/")[1].description, revision: 1).utf8)
            .write(to: URL(fileURLWithPath: repo + "/" + changed.path))
        try Self.git(["commit", "-q", "-am", "change one file"], in: repo)
        let target = try Self.git(["rev-parse", "HEAD"], in: repo)
        let mb = Double(corpus.totalBytes) / 1e6
        print("Corpus: \(corpus.workloadCount) workload manifests + \(corpus.files.count - corpus.workloadCount) Defaults, "
            + "\(corpus.files.count) files, \(String(format: "%.2f", mb)) MB, at \(repo)")

        // The floor and the peer over the same bytes, read into memory first.
        let blobs = try corpus.files.map { try [UInt8](Data(contentsOf: URL(fileURLWithPath: repo + "/" + $0.path))) }
        let floor = try (0..<runs).map { _ in try Self.rawLibyamlSeconds(blobs) }.min()!
        print("raw libyaml events (1 thread): \(Self.ms(floor))")
        let pyyaml = try Self.pyyamlSeconds(files: corpus.files.map { repo + "/" + $0.path }, runs: runs)
        if let pyyaml { print("PyYAML CSafeLoader load_all:  \(Self.ms(pyyaml))") } else { print("PyYAML: missing (pip install pyyaml)") }

        // Converge, each phase in a fresh process of this binary (cold caches, its own peak RSS).
        let me = Self.executablePath()
        func phase(_ name: String, _ extra: [String]) throws -> (seconds: Double, rss: Int, detail: String) {
            var best = Double.infinity, rss = 0, detail = ""
            for _ in 0..<runs {
                let child = try Self.spawn(me, ["manifests-phase", name, "--repo", repo] + extra)
                guard child.status == 0 else { throw BenchError("phase \(name) failed (\(child.status)): \(child.stderr)\(child.stdout)") }
                let fields = child.stdout.split(separator: " ")
                let seconds = Double(fields[0])!
                best = min(best, seconds)
                rss = max(rss, child.maxRSSBytes)
                detail = fields.dropFirst().joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return (best, rss, detail)
        }
        let validate = try phase("validate", ["--target", base])
        let plan = try phase("plan", ["--target", base])
        let replan = try phase("replan", ["--base", base, "--target", target])
        let planBase = try phase("plan-base", ["--base", base, "--target", target])

        // What a CI job runs: the `converge` binary built next to this one, each command a fresh
        // process (start-up, listing, parse, assembly, plan, text output written to a file, exit).
        let converge = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("converge").path
        var commands: (validate: Double, plan: Double, rss: Int)?
        if FileManager.default.isExecutableFile(atPath: converge) {
            func command(_ args: [String], expect: Int32) throws -> (Double, Int) {
                var best = Double.infinity, rss = 0
                for _ in 0..<runs {
                    let child = try Self.spawn(converge, args)
                    guard child.status == expect else {
                        throw BenchError("converge \(args.joined(separator: " ")) exited \(child.status): \(child.stderr.prefix(500))")
                    }
                    best = min(best, child.seconds)
                    rss = max(rss, child.maxRSSBytes)
                }
                return (best, rss)
            }
            let v = try command(["validate", "--repo", repo, "--ref", base], expect: 0)
            let p = try command(["plan", "--repo", repo, "--ref", base], expect: 2)
            commands = (v.0, p.0, max(v.1, p.1))
        }

        print("")
        print("(a) in-process phases (from opening the repository to the result, no output):")
        print("    cold validate:                    \(Self.ms(validate.seconds))  [\(validate.detail)]")
        print("    cold plan (vs empty cluster):     \(Self.ms(plan.seconds))  [\(plan.detail)]")
        // The headline: `converge plan` validates the whole target revision (an invalid one is an
        // error that lists every problem) and plans it, so one cold `converge plan` process is a
        // cold validate + plan. A CI job that also runs `converge validate` pays the sum, shown too.
        let cold: Double
        if let commands {
            print("(a) the commands, each a fresh process, text output to a file:")
            print("    converge validate --repo R --ref B:  \(Self.ms(commands.validate))")
            print("    converge plan --repo R --ref B:      \(Self.ms(commands.plan))  (validates, then plans 10,000 creates, every field listed)")
            cold = commands.plan
        } else {
            print("(a) `converge` is not built next to this binary (swift build -c release --product converge):")
            print("    the lines below use the in-process plan phase, without process start-up and output")
            cold = plan.seconds
        }
        func verdicts(_ label: String, _ seconds: Double) {
            print("    \(label)\(Self.ms(seconds))  target <= 500 ms: \(seconds <= 0.5 ? "met" : "MISSED")")
            if let pyyaml {
                let r = seconds / pyyaml
                print("        vs PyYAML:     \(String(format: "%.3f", r))x  target <= 0.333x: \(r <= 1.0 / 3 ? "met" : "MISSED")")
            }
            let rf = seconds / floor
            print("        vs raw libyaml: \(String(format: "%.2f", rf))x  target <= 3x: \(rf <= 3 ? "met" : "MISSED")")
        }
        verdicts("cold validate + plan, one `converge plan` (headline): ", cold)
        if let commands {
            verdicts("`converge validate` alone:                             ", commands.validate)
            verdicts("`converge validate` then `converge plan` (two processes): ", commands.validate + commands.plan)
        }
        print("(b) re-plan after a one-file commit, warm in-process parse cache: \(Self.ms(replan.seconds))  [\(replan.detail)]  target <= 100 ms: \(replan.seconds <= 0.1 ? "met" : "MISSED")")
        print("    cold plan --base --ref in one process (what CI runs): \(Self.ms(planBase.seconds))  [\(planBase.detail)]")
        let peak = [validate.rss, plan.rss, replan.rss, planBase.rss, commands?.rss ?? 0].max()!
        print("(c) peak memory (ru_maxrss of the phase and command processes): \(peak / (1 << 20)) MiB  target <= 300 MB: \(peak <= 300_000_000 ? "met" : "MISSED")")
    }

    static func ms(_ seconds: Double) -> String { String(format: "%7.1f ms", seconds * 1000) }

    static func machine() -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores (nproc), \(cpu), "
            + "\(ProcessInfo.processInfo.physicalMemory / (1 << 30)) GiB"
    }

    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The floor: a tight loop over yaml_parser_parse for every file, one thread.
    static func rawLibyamlSeconds(_ blobs: [[UInt8]]) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        var events = 0
        for blob in blobs {
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { throw BenchError("yaml_parser_initialize failed") }
            defer { yaml_parser_delete(&parser) }
            try blob.withUnsafeBufferPointer { buffer in
                yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
                var event = yaml_event_t()
                while true {
                    guard yaml_parser_parse(&parser, &event) == 1 else { throw BenchError("libyaml failed on a generated file") }
                    let done = event.type == YAML_STREAM_END_EVENT
                    yaml_event_delete(&event)
                    events += 1
                    if done { break }
                }
            }
        }
        precondition(events > blobs.count)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The peer: PyYAML's C loader over the same files (read into memory before timing). nil: no PyYAML.
    static func pyyamlSeconds(files: [String], runs: Int) throws -> Double? {
        let list = NSTemporaryDirectory() + "converge-bench-files-\(UUID().uuidString).txt"
        try files.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: list) }
        let script = """
            import sys, time
            try:
                import yaml
                loader = yaml.CSafeLoader
            except (ImportError, AttributeError):
                print("missing"); sys.exit(0)
            texts = [open(p, 'rb').read() for p in open(sys.argv[1]).read().split('\\n')]
            best = None
            for _ in range(int(sys.argv[2])):
                t = time.perf_counter()
                n = 0
                for text in texts:
                    for doc in yaml.load_all(text, Loader=loader):
                        n += 1
                best = min(best or 1e9, time.perf_counter() - t)
            print(best, n)
            """
        let run = try spawn("python3", ["-c", script, list, String(runs)])
        guard run.status == 0 else { throw BenchError("python3 failed: \(run.stderr)") }
        let out = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if out == "missing" { return nil }
        guard let seconds = out.split(separator: " ").first.flatMap({ Double($0) }) else {
            throw BenchError("unexpected PyYAML output: \(out)")
        }
        return seconds
    }
}

/// One measured phase, run in a fresh process by `converge-bench manifests`; prints
/// `SECONDS detail...`. Not meant to be run by hand.
struct ManifestsPhase: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "manifests-phase", shouldDisplay: false)

    @Argument var phase: String
    @Option var repo: String
    @Option var base: String?
    @Option var target: String

    func run() throws {
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let cache = ManifestCache()
        switch phase {
        case "validate":
            // As `converge validate` and a plan against an empty cluster: one load, nothing kept.
            let cache = ManifestCache.singleLoad()
            let repository = try RepositorySource.open(repo, cacheDirectory: NSTemporaryDirectory())
            let loaded = try ManifestLoader(cache: cache).load(repository: repository, ref: target, path: nil)
            let seconds = elapsed()
            guard loaded.problems.isEmpty else { throw BenchError("corpus invalid: \(loaded.problems.prefix(3))") }
            print(seconds, "\(loaded.manifestCount) manifests, \(cache.parseCount) files parsed")
        case "plan":
            let cache = ManifestCache.singleLoad()
            let repository = try RepositorySource.open(repo, cacheDirectory: NSTemporaryDirectory())
            let loaded = try ManifestLoader(cache: cache).load(repository: repository, ref: target, path: nil)
            let plan = Planner.plan(desired: try Self.view(loaded), actual: .empty)
            let seconds = elapsed()
            print(seconds, "\(plan.summary.create) to create, \(cache.parseCount) files parsed")
        case "replan":
            // The controller's steady state: the base revision is loaded and its parses cached.
            let repository = try RepositorySource.open(repo, cacheDirectory: NSTemporaryDirectory())
            let loader = ManifestLoader(cache: cache)
            let actual = try Self.view(try loader.load(repository: repository, ref: base ?? target, path: nil))
            let parsedBefore = cache.parseCount
            let t0 = DispatchTime.now().uptimeNanoseconds
            let desired = try Self.view(try loader.load(repository: repository, ref: target, path: nil))
            let plan = Planner.plan(desired: desired, actual: actual)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            // A controller keeps the repository, cache and views: their teardown (which Swift may
            // otherwise run right after their last use, inside the timed span) is not re-planning.
            withExtendedLifetime((repository, loader, actual, desired)) {}
            print(seconds, "\(cache.parseCount - parsedBefore) file(s) parsed, \(plan.summary.deploy) to deploy, \(plan.summary.total) change(s)")
        case "breakdown":
            // Where a warm re-plan spends its time (listing, load, plan); for profiling by hand.
            let repository = try RepositorySource.open(repo, cacheDirectory: NSTemporaryDirectory())
            let loader = ManifestLoader(cache: cache)
            let actual = try Self.view(try loader.load(repository: repository, ref: base ?? target, path: nil))
            var t = DispatchTime.now().uptimeNanoseconds
            func lap() -> String {
                let now = DispatchTime.now().uptimeNanoseconds
                defer { t = now }
                return String(format: "%.1fms", Double(now - t) / 1e6)
            }
            let revision = try repository.revision(target, extensions: ManifestLoader.manifestExtensions, skipDotFolders: true)
            let listing = lap()
            let desired = try Self.view(try loader.load(repository: repository, ref: target, path: nil))
            let load = lap()
            let plan = Planner.plan(desired: desired, actual: actual)
            let planned = lap()
            withExtendedLifetime((repository, loader, actual, desired)) {}
            print(0, "listing \(revision.entries.count) entries \(listing), load (incl. listing) \(load), plan \(planned), \(plan.summary.total) change(s)")
        case "replan-loop":
            // Warm re-plans back and forth between base and target (a one-file change each way),
            // many times: for profiling the steady state with `perf record`.
            let repository = try RepositorySource.open(repo, cacheDirectory: NSTemporaryDirectory())
            let loader = ManifestLoader(cache: cache)
            var previous = try Self.view(try loader.load(repository: repository, ref: base ?? target, path: nil))
            var times: [Double] = []
            for round in 0..<20 {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let next = try Self.view(try loader.load(repository: repository, ref: round % 2 == 0 ? target : base ?? target, path: nil))
                _ = Planner.plan(desired: next, actual: previous)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                previous = next
            }
            times.sort()
            print(0, String(format: "20 warm re-plans: best %.1fms, median %.1fms", times[0], times[10]))
        case "cold-breakdown":
            // Where a cold plan spends its time, step by step (each step serial unless noted).
            var t = DispatchTime.now().uptimeNanoseconds
            func lap() -> String {
                let now = DispatchTime.now().uptimeNanoseconds
                defer { t = now }
                return String(format: "%.1fms", Double(now - t) / 1e6)
            }
            let repository = try RepositorySource.open(repo, cacheDirectory: NSTemporaryDirectory())
            let opened = lap()
            let revision = try repository.revision(target, extensions: ManifestLoader.manifestExtensions, skipDotFolders: true)
            let listing = lap()
            var ids: [BlobID] = []
            var paths: [String] = []
            for entry in revision.entries {
                if case .blob(let id, _) = entry.content { ids.append(id); paths.append(entry.path) }
            }
            let blobs = repository.blobs(ids)
            let read = lap()
            let files = zip(paths, ids).map { ManifestFile(path: $0, contents: (try? blobs[$1]?.get()) ?? []) }
            let parsed = parseManifestFiles(files)
            let parse = lap()
            let set = Manifests.assemble(parsed, memo: AssemblyMemo())
            let assemble = lap()
            let view = ClusterView(workloads: set.workloads.values.map(WorkloadState.init))
            let viewed = lap()
            let plan = Planner.plan(desired: view, actual: .empty)
            let planned = lap()
            withExtendedLifetime((repository, blobs, parsed, set, view)) {}
            print(0, "open \(opened), listing \(listing), read \(read), parse (parallel) \(parse), "
                + "assemble \(assemble), view \(viewed), plan (parallel) \(planned), \(plan.summary.create) creates")
        case "serial-split":
            // One thread, files in memory: the floor, then Converge's parse and assembly of the same
            // bytes (what the parallel phases cost in CPU, without scheduling noise).
            let repository = try RepositorySource.open(repo, cacheDirectory: NSTemporaryDirectory())
            let revision = try repository.revision(target, extensions: ManifestLoader.manifestExtensions, skipDotFolders: true)
            var ids: [BlobID] = []
            var paths: [String] = []
            for entry in revision.entries {
                if case .blob(let id, _) = entry.content { ids.append(id); paths.append(entry.path) }
            }
            let l0 = DispatchTime.now().uptimeNanoseconds
            _ = try repository.revision(target, extensions: ManifestLoader.manifestExtensions, skipDotFolders: true)
            print(0, String(format: "listing again (blob sizes known) %.1fms", Double(DispatchTime.now().uptimeNanoseconds - l0) / 1e6))
            let blobs = repository.blobs(ids)
            let contents = ids.map { (try? blobs[$0]?.get()) ?? [] }
            let files = zip(paths, contents).map { ManifestFile(path: $0, contents: $1) }
            var best = (floor: Double.infinity, parse: Double.infinity, assemble: Double.infinity)
            for _ in 0..<7 {
                let floor = try ManifestsBenchmark.rawLibyamlSeconds(contents)
                let t0 = DispatchTime.now().uptimeNanoseconds
                let parsed = files.map(parseManifestFile)
                let t1 = DispatchTime.now().uptimeNanoseconds
                let set = Manifests.assemble(parsed)
                let t2 = DispatchTime.now().uptimeNanoseconds
                withExtendedLifetime((parsed, set)) {}
                best = (min(best.floor, floor), min(best.parse, Double(t1 - t0) / 1e9), min(best.assemble, Double(t2 - t1) / 1e9))
            }
            print(0, String(format: "best of 7: floor %.1fms, parse %.1fms (%.2fx floor), assemble (parallel) %.1fms (%.2fx floor)",
                            best.floor * 1e3, best.parse * 1e3, best.parse / best.floor, best.assemble * 1e3,
                            best.assemble / best.floor))
        case "plan-base":
            let repository = try RepositorySource.open(repo, cacheDirectory: NSTemporaryDirectory())
            let loader = ManifestLoader(cache: cache)
            let actual = try Self.view(try loader.load(repository: repository, ref: base ?? target, path: nil))
            let desired = try Self.view(try loader.load(repository: repository, ref: target, path: nil))
            let plan = Planner.plan(desired: desired, actual: actual)
            print(elapsed(), "\(cache.parseCount) files parsed, \(plan.summary.total) change(s)")
        default:
            throw ValidationError("unknown phase \(phase)")
        }
    }

    static func view(_ loaded: LoadedRevision) throws -> ClusterView {
        guard let view = loaded.view else { throw BenchError("invalid revision: \(loaded.problems.prefix(3))") }
        return view
    }
}
