import ArgumentParser
import Foundation
import Manifests
import Scheduler

/// `converge-bench core-converge`: the scheduler core end to end on the dev cluster in virtual mode:
/// 1,000 services x 3 instances on 200 agents, from `apply` to every task healthy (target <= 30 s).
struct CoreConvergeBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core-converge",
        abstract: "Scheduler core on the virtual dev cluster: 1,000 services x 3 on 200 agents to all healthy (target <= 30 s)."
    )

    @Option(help: "Services (generated Service manifests, loaded through Manifests).") var services = 1_000
    @Option(help: "Instances per service.") var instances = 3
    @Option(help: "Virtual agents.") var agents = 200
    @Option(help: "Per-agent cpus.") var agentCpus = 8.0
    @Option(help: "Per-agent memory in MB.") var agentMem = 16_384.0
    @Option(help: "Seconds until a virtual task is RUNNING (and healthy, when it has a check).") var virtualStartDelay = 0.05
    @Option(help: "Give up after this many seconds.") var timeout = 300.0
    @Option(help: "Seconds between completion checks (progress is printed every second).") var poll = 0.25
    @Option(help: "The converge executable running the master (default: next to this benchmark).") var converge: String?
    @Flag(help: "Log the core and the Mesos client at info level.") var verbose = false

    func run() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let options = CoreFleet.Options(services: services, instances: instances)
        let workloads = try CoreFleet(options).load()
        let names = workloads.keys.sorted()
        let wanted = workloads.values.reduce(0) { $0 + $1.spec.instances }
        print(String(format: "manifests: %d services loaded (parse + assemble) in %.0f ms; %d tasks wanted",
                     workloads.count, (clock.now - started).seconds * 1000, wanted))

        let master = try DevClusterChild.start(
            executable: converge ?? DevClusterChild.siblingExecutable("converge"),
            settings: .init(agents: agents, virtual: true, cpus: agentCpus, mem: agentMem, virtualStartDelay: virtualStartDelay))
        defer { master.stop() }
        print("dev master pid \(master.pid) at \(master.address): \(agents) virtual agents (\(agentCpus) cpus, \(Int(agentMem)) MB each)")

        let harness = try CoreHarness(master: master.address, settleSeconds: 5, verbose: verbose)
        do {
            try await measure(harness: harness, master: master, workloads: workloads, names: names, wanted: wanted)
        } catch {
            await harness.shutdown()
            throw error
        }
    }

    private func measure(harness: CoreHarness, master: DevClusterChild, workloads: [String: Workload], names: [String],
                         wanted: Int) async throws {
        let clock = ContinuousClock()
        let ready = try await harness.startAndWaitUntilReady(within: 60)
        print(String(format: "core subscribed and reconciled in %.2f s", ready.seconds))
        let changes = await harness.core.changes()
        let changeCounter = Task { () -> Int in
            var count = 0
            for await _ in changes { count += 1 }
            return count
        }

        let beforeApply = ProcessMemory.read()
        print(String(format: "RSS before apply: bench %.1f MB (workloads loaded, core subscribed), dev master %.1f MB",
                     beforeApply?.residentMB ?? -1, master.memory?.residentMB ?? -1))
        let revision = String(repeating: "c0ffee", count: 7).prefix(40)
        let benchCPUBefore = ProcessMemory.cpuSeconds() ?? 0
        let masterCPUBefore = ProcessMemory.cpuSeconds(pid: master.pid) ?? 0
        let started = clock.now
        await harness.core.apply(DesiredState(revision: String(revision), workloads: workloads))
        let applied = clock.now - started
        var nextReport = started + .seconds(1)
        var converged: Duration?
        var progress = CoreProgress(await harness.core.snapshot(), services: names)
        var masterPeak = master.memory?.peakMB ?? -1
        while clock.now - started < .milliseconds(Int(timeout * 1000)) {
            progress = CoreProgress(await harness.core.snapshot(), services: names)
            if progress.healthy >= wanted {
                converged = clock.now - started
                break
            }
            if clock.now >= nextReport {
                while nextReport <= clock.now { nextReport = nextReport + .seconds(1) }
                let bench = ProcessMemory.read()
                let masterMemory = master.memory
                masterPeak = max(masterPeak, masterMemory?.peakMB ?? -1)
                print(String(format: "  %5.1f s  ", (clock.now - started).seconds) + progress.description
                      + String(format: "; RSS bench %.0f MB, master %.0f MB", bench?.residentMB ?? -1, masterMemory?.residentMB ?? -1))
            }
            try await Task.sleep(for: .milliseconds(Int(poll * 1000)))
        }
        let bench = ProcessMemory.read()
        masterPeak = max(masterPeak, master.memory?.peakMB ?? -1)
        let elapsed = (clock.now - started).seconds
        let benchCPU = (ProcessMemory.cpuSeconds() ?? 0) - benchCPUBefore
        let masterCPU = (ProcessMemory.cpuSeconds(pid: master.pid) ?? 0) - masterCPUBefore
        let snapshot = await harness.core.snapshot()
        await harness.shutdown()
        changeCounter.cancel()
        let changeEvents = await changeCounter.value
        master.stop()

        print(String(format: "apply returned in %.1f ms", applied.seconds * 1000))
        print("tasks launched \(snapshot.counters.tasksLaunched), killed \(snapshot.counters.tasksKilled), "
              + "status updates \(snapshot.counters.statusUpdates), offers \(snapshot.counters.offersReceived) "
              + "(declined \(snapshot.counters.offersDeclined)); \(changeEvents) change events")
        print(String(format: "CPU from apply to the end: bench %.1f s (%.2f cores), dev master %.1f s (%.2f cores) over %.1f s",
                     benchCPU, benchCPU / elapsed, masterCPU, masterCPU / elapsed, elapsed))
        print(String(format: "peak RSS: bench %.1f MB (now %.1f MB), dev master %.1f MB",
                     bench?.peakMB ?? -1, bench?.residentMB ?? -1, masterPeak))
        if let converged {
            print(String(format: "%d services x %d instances on %d virtual agents: all %d healthy %.2f s after apply",
                         services, instances, agents, wanted, converged.seconds)
                  + " (target <= 30 s: \(converged.seconds <= 30 ? "met" : "MISSED"))")
        } else {
            print("NOT converged within \(Int(timeout)) s: \(progress)")
            for (name, reason) in progress.pendingReasons.sorted(by: { $0.key < $1.key }).prefix(5) {
                print("  \(name) pending: \(reason)")
            }
            throw ExitCode.failure
        }
    }
}
