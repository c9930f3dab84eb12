import ArgumentParser
import Foundation

/// Commit to converged for 1,000 services x 3 instances on 200 virtual agents through the controller
/// (git read, validation, plan, scheduler core, dev master in a child process). Target: at most 30 s.
struct ControllerConvergeBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller-converge",
        abstract: "Commit to converged for 1,000 services x 3 on 200 virtual agents (target: <= 30 s).")

    @Option(help: "Services in the commit.")
    var services = 1000

    @Option(help: "Instances per service.")
    var instances = 3

    @Option(help: "Virtual agents.")
    var agents = 200

    @Flag(help: "Workers without a health check (healthy after the core's settle time) instead of HTTP-checked Services.")
    var worker = false

    @Option(help: "Give up after this many seconds.")
    var deadline = 180.0

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
            print(what + String(format: ": commit to converged in %.2f s", time) + " (target <= 30 s: \(time <= 30 ? "met" : "MISSED"))")
        } else {
            print(what + String(format: ": NOT converged within %.0f s: %d/%d services done, %d/%d instances healthy",
                         deadline, result.progress.done, result.progress.services, result.progress.healthy, result.progress.desired))
        }
        if let sync = result.syncSeconds { print(String(format: "the sync record's own span (started to synced): %.2f s", sync)) }
        print("controller process: before the commit \(result.before.description); after \(result.after.description)")
        print(String(format: "controller process after malloc_trim(0): RSS %.1f MB (freed pages glibc kept)", result.trimmed.rssMB))
        print("dev cluster process (not counted): \(result.cluster.description)")
        print("load average now \(ControllerBench.loadAverage())")
    }
}
