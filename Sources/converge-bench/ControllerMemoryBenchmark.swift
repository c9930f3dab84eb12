import ArgumentParser
import Foundation

/// The controller process (Controller + SchedulerCore; the dev master runs in a child process) holding
/// 10,000 services on 500 virtual agents: resident and peak memory after convergence. Target: <= 300 MB.
struct ControllerMemoryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller-memory",
        abstract: "Controller memory holding 10,000 services on 500 virtual agents (target: <= 300 MB).")

    @Option(help: "Services in the commit.")
    var services = 10_000

    @Option(help: "Instances per service.")
    var instances = 1

    @Option(help: "Virtual agents.")
    var agents = 500

    @Flag(help: "Workers without a health check (healthy after the core's settle time) instead of HTTP-checked Services.")
    var worker = false

    @Option(help: "Give up waiting for convergence after this many seconds (memory is reported either way).")
    var deadline = 600.0

    @Flag(help: "glibc's malloc defaults instead of `converge run`'s policy (two arenas, a trim after each sync).")
    var glibcDefaults = false

    @Option(help: "The converge executable running the dev cluster (default: next to this benchmark).")
    var converge: String?

    func run() async throws {
        let result = try await BulkControllerRun(services: services, instances: instances, agents: agents, worker: worker,
                                                 deadlineSeconds: deadline, converge: converge,
                                                 runMemoryPolicy: !glibcDefaults).run()
        let what = "\(services) \(worker ? "Workers" : "Services") x \(instances) on \(agents) virtual agents"
        if let time = result.convergedSeconds {
            print(what + String(format: ": converged in %.2f s", time))
        } else {
            print(what + String(format: ": NOT converged within %.0f s (%d/%d services done, %d/%d instances healthy); memory as it stands",
                         deadline, result.progress.done, result.progress.services, result.progress.healthy, result.progress.desired))
        }
        let peak = result.after.peakMB
        print("controller process before the commit (one service): \(result.before.description)")
        print(String(format: "controller process after: RSS %.1f MB, peak (VmHWM) %.1f MB", result.after.rssMB, peak)
              + " (target <= 300 MB: \(peak <= 300 ? "met" : "MISSED"))")
        print(String(format: "controller process after malloc_trim(0): RSS %.1f MB (freed pages glibc kept)", result.trimmed.rssMB))
        print("dev cluster process (not counted): \(result.cluster.description)")
        print("load average now \(ControllerBench.loadAverage())")
    }
}
