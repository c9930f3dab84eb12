import ArgumentParser
import Foundation
import Manifests
import Scheduler

/// `converge-bench core-state`: the memory of the scheduler core's state for 10,000 services x 3 tasks
/// (target <= 300 MB), the time to copy it into a `CoreSnapshot`, one `DeployStepper` tick over every
/// service and one `DecommissionPlanner` pass.
struct CoreStateBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core-state",
        abstract: "Memory of the scheduler core's state for 30,000 tasks (target <= 300 MB); snapshot, tick and decommission pass times."
    )

    @Option(help: "Services (each a generated Service manifest).") var services = 10_000
    @Option(help: "Instances per service.") var instances = 3
    @Option(help: "Agents the tasks run on.") var agents = 1_000
    @Option(help: "Deploy history entries kept per service.") var deploysKept = 5
    @Option(help: "Timed rounds of snapshot, tick and decommission pass (median reported).") var rounds = 5

    func run() throws {
        let baseline = ProcessMemory.trimmedResidentMB()
        let baselineHeap = ProcessMemory.heapInUseMB() ?? .nan
        let clock = ContinuousClock()

        // 1. Workloads through Manifests, as a controller hands them over.
        let fleetOptions = CoreFleet.Options(services: services, instances: instances)
        var started = clock.now
        let workloads: [String: Workload]
        do {
            let fleet = CoreFleet(fleetOptions)
            let bytes = fleet.files.reduce(0) { $0 + $1.contents.count }
            workloads = try fleet.load()
            print(String(format: "manifests: %d files (%.1f MB of YAML) parsed and assembled into %d workloads in %.0f ms",
                         fleet.files.count, Double(bytes) / 1_048_576, workloads.count, Self.milliseconds(clock.now - started)))
        }
        let afterWorkloads = ProcessMemory.trimmedResidentMB()
        let afterWorkloadsHeap = ProcessMemory.heapInUseMB() ?? .nan

        // 2. The core's state.
        let now = Date()
        started = clock.now
        let model = CoreStateModel.build(workloads: workloads, agents: agents, deploysKept: deploysKept, now: now)
        let buildTime = Self.milliseconds(clock.now - started)
        let afterState = ProcessMemory.trimmedResidentMB()
        let afterStateHeap = ProcessMemory.heapInUseMB() ?? .nan
        let taskCount = model.cluster.tasks.count
        print(String(format: "state: %d services, %d tasks, %d agents, %d deploy history entries built in %.0f ms",
                     model.services.count, taskCount, model.cluster.agents.count,
                     model.services.values.reduce(0) { $0 + $1.deploys.count }, buildTime))
        let averageID = model.cluster.tasks.keys.reduce(0) { $0 + $1.utf8.count } / max(1, taskCount)
        print("  example task id (\(averageID) bytes on average): \(model.cluster.tasks.keys.sorted().first ?? "-")")

        // 3. Snapshot copies.
        var snapshotTimes: [Double] = []
        var snapshot = model.snapshot(now: now)
        let withSnapshot = ProcessMemory.trimmedResidentMB()
        let withSnapshotHeap = ProcessMemory.heapInUseMB() ?? .nan
        for _ in 0..<rounds {
            started = clock.now
            snapshot = model.snapshot(now: now)
            snapshotTimes.append(Self.milliseconds(clock.now - started))
        }
        let snapshotTasks = snapshot.services.values.reduce(0) { $0 + $1.tasks.count }

        // 4. One tick over every service.
        var tickTimes: [Double] = []
        var tick = model.tick(now: now)
        for _ in 0..<rounds {
            started = clock.now
            tick = model.tick(now: now)
            tickTimes.append(Self.milliseconds(clock.now - started))
        }

        // 5. One decommission pass (inputs gathered from the state, then the plan).
        var inputTimes: [Double] = []
        var planTimes: [Double] = []
        var plan = DecommissionPlanner.plan(model.decommissionInput(maxConcurrent: 2))
        for _ in 0..<rounds {
            started = clock.now
            let input = model.decommissionInput(maxConcurrent: 2)
            let gathered = clock.now
            plan = DecommissionPlanner.plan(input)
            inputTimes.append(Self.milliseconds(gathered - started))
            planTimes.append(Self.milliseconds(clock.now - gathered))
        }
        let peak = ProcessMemory.read()?.peakMB ?? -1

        let stateMB = afterState - baseline
        let stateHeapMB = afterStateHeap - baselineHeap
        print("")
        print(String(format: "memory: baseline resident %.1f MB (heap in use %.1f MB)", baseline, baselineHeap))
        print("  growth                            resident (after malloc_trim)   heap in use (malloc_info)")
        print(String(format: "  workloads (%6d)                 +%6.1f MB                     +%6.1f MB",
                     workloads.count, afterWorkloads - baseline, afterWorkloadsHeap - baselineHeap))
        print(String(format: "  cluster state and per-service      +%6.1f MB                     +%6.1f MB",
                     afterState - afterWorkloads, afterStateHeap - afterWorkloadsHeap))
        print(String(format: "  state for %6d tasks in total     %6.1f MB                      %6.1f MB", taskCount, stateMB, stateHeapMB)
              + "   (target <= 300 MB: \(max(stateMB, stateHeapMB) <= 300 ? "met" : "MISSED"))")
        print(String(format: "  one snapshot held on top          +%6.1f MB                     +%6.1f MB  (%d tasks copied)",
                     withSnapshot - afterState, withSnapshotHeap - afterStateHeap, snapshotTasks))
        print(String(format: "  peak resident (VmHWM, includes YAML parsing): %.1f MB", peak))
        print(String(format: "snapshot (CoreSnapshot copy of %d services): median %.1f ms (min %.1f, max %.1f)",
                     snapshot.services.count, Self.median(snapshotTimes), snapshotTimes.min() ?? 0, snapshotTimes.max() ?? 0))
        print(String(format: "tick (DeployStepper.step x %d, tasks gathered per service): median %.1f ms (min %.1f, max %.1f); %d launches, %d kills, %d succeeded",
                     model.services.count, Self.median(tickTimes), tickTimes.min() ?? 0, tickTimes.max() ?? 0,
                     tick.launches, tick.kills, tick.succeeded))
        print(String(format: "decommission pass (%d agents, %d tasks): gather inputs median %.1f ms, plan median %.1f ms; %d replacements, %d agents waiting",
                     model.cluster.agents.count, taskCount, Self.median(inputTimes), Self.median(planTimes),
                     plan.replacements.count, plan.waiting.count))
        withExtendedLifetime((model, snapshot, workloads)) {}
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        return values.sorted()[values.count / 2]
    }
}
