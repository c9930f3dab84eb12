import ArgumentParser
import Foundation
import Reconciler

/// Many services from one commit on a virtual dev cluster (child process) through the controller:
/// the controller first runs a one-service seed revision, then a commit adds `services` services and a
/// sync is requested as a webhook does; timed from the commit to all converged.
struct BulkControllerRun {
    var services: Int
    var instances: Int
    var agents: Int
    var worker: Bool
    var deadlineSeconds: Double
    var converge: String?
    var runMemoryPolicy = true

    struct Result {
        var commitSeconds: Double
        var convergedSeconds: Double?
        var syncSeconds: Double?
        var before: ControllerBenchMemory
        var after: ControllerBenchMemory
        /// After `malloc_trim(0)`: what the allocator still holds once free pages go back to the system.
        var trimmed: ControllerBenchMemory
        var cluster: ControllerBenchMemory
        var progress: BenchProgress
    }

    func run() async throws -> Result {
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(ControllerBench.loadAverage())")
        let cluster = try ChildDevCluster.start(
            executable: converge ?? ControllerBench.sibling("converge"),
            arguments: ["--virtual", "--agents", String(agents), "--cpus", "8", "--mem", "16384"])
        defer { cluster.stop() }
        print("dev cluster pid \(cluster.pid) at \(cluster.masterURL) with \(agents) virtual agents")
        let repository = try BenchRepository()
        defer { repository.remove() }
        try repository.write("seed.yaml", manifest("seed", instances: 1))
        let seed = try repository.commit("seed")
        let clock = ContinuousClock()
        let started = clock.now
        let bench = try BenchController(master: cluster.masterURL, repository: repository.path, pollIntervalSeconds: 3600,
                                        runMemoryPolicy: runMemoryPolicy)
        guard let first = await bench.waitConverged(revision: seed, since: started, deadlineSeconds: 120, pollSeconds: 0.1,
                                                    reportEvery: 5) else {
            await bench.stop()
            throw ValidationError("the one-service seed revision did not converge within 120 s")
        }
        let before = ControllerBenchMemory.read()
        print(String(format: "seed revision converged in %.2f s; controller ", first) + before.description)

        for index in 0..<services {
            let name = String(format: "svc-%05d", index)
            try repository.write("team-\(index % 100)/\(name).yaml", manifest(name, instances: instances))
        }
        let committing = clock.now
        let revision = try repository.commit("\(services) services")
        let commitSeconds = ControllerBench.seconds(clock.now - committing)
        print(String(format: "committed %d manifest files in %.2f s (git add + commit, not counted); syncing", services, commitSeconds))
        fflush(nil)

        let committed = clock.now
        bench.controller.requestSync(trigger: .webhook)
        let polling = services >= 5000 ? 1.0 : 0.25
        let converged = await bench.waitConverged(revision: revision, since: committed, deadlineSeconds: deadlineSeconds,
                                                  pollSeconds: polling, reportEvery: 1)
        let after = ControllerBenchMemory.read()
        ControllerBench.mallocTrim()
        let trimmed = ControllerBenchMemory.read()
        let progress = await bench.progress()
        let state = await bench.controller.state()
        let sync = state.history.first { $0.revision == revision }
        let syncSeconds = sync.map { record in (record.finishedAt ?? Date()).timeIntervalSince(record.startedAt) }
        let clusterMemory = cluster.memory
        await bench.stop()
        return Result(commitSeconds: commitSeconds, convergedSeconds: converged, syncSeconds: sync?.finishedAt == nil ? nil : syncSeconds,
                      before: before, after: after, trimmed: trimmed, cluster: clusterMemory, progress: progress)
    }

    private func manifest(_ name: String, instances: Int) -> String {
        worker ? BenchManifests.sleepWorker(name, instances: instances) : BenchManifests.httpService(name, instances: instances)
    }
}
