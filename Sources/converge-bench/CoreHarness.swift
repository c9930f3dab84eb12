import ArgumentParser
import Foundation
import Mesos
import Scheduler

/// A `SchedulerCore` against a dev master, with its state directory in a temporary folder, for the
/// end-to-end benchmarks. Only the core's public interface is used.
struct CoreHarness {
    let core: SchedulerCore
    let stateDirectory: URL

    /// `verbose`: the core and client log at info level (else warnings only).
    init(master address: String, settleSeconds: Double, verbose: Bool = false) throws {
        stateDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("converge-core-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        var client = try MesosClientConfiguration(masters: ["http://\(address)"])
        client.logger.logLevel = verbose ? .info : .warning
        var configuration = SchedulerCoreConfiguration(client: client, frameworkName: "converge-core-bench",
                                                       failoverTimeoutSeconds: 300, settleSeconds: settleSeconds)
        configuration.logger.logLevel = verbose ? .info : .warning
        core = SchedulerCore(configuration: configuration, store: try StateStore(directory: stateDirectory))
    }

    /// Starts the core and waits until it is subscribed and has reconciled with the master.
    func startAndWaitUntilReady(within seconds: Double) async throws -> Duration {
        let clock = ContinuousClock()
        let started = clock.now
        await core.start()
        let deadline = started + .milliseconds(Int(seconds * 1000))
        while clock.now < deadline {
            let snapshot = await core.snapshot()
            if snapshot.connection == .subscribed, snapshot.reconciled { return clock.now - started }
            try await Task.sleep(for: .milliseconds(50))
        }
        let snapshot = await core.snapshot()
        throw ValidationError("the core did not subscribe and reconcile within \(Int(seconds)) s (connection \(snapshot.connection), reconciled \(snapshot.reconciled))")
    }

    /// Shuts the core down (at most `seconds`) and removes the state directory.
    func shutdown(within seconds: Double = 30) async {
        let core = self.core
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await core.shutdown() }
            group.addTask { try? await Task.sleep(for: .milliseconds(Int(seconds * 1000))) }
            await group.next()
            group.cancelAll()
        }
        try? FileManager.default.removeItem(at: stateDirectory)
    }
}

/// Where the tasks of some services stand, counted from a core snapshot.
struct CoreProgress: CustomStringConvertible {
    /// Active tasks (live, no kill sent) of the services' current deploys.
    var launched = 0
    var running = 0
    /// Healthy tasks of the current deploys.
    var healthy = 0
    /// Services with as many healthy tasks as they want.
    var convergedServices = 0
    var services = 0
    /// Services with a reason why their pending tasks found no place.
    var pendingReasons: [String: String] = [:]

    init(_ snapshot: CoreSnapshot, services names: [String]) {
        for name in names {
            services += 1
            guard let service = snapshot.services[name] else { continue }
            let current = service.tasks.filter { $0.isActive && $0.deployID == service.currentDeployID }
            launched += current.count
            running += current.filter { $0.state == .running }.count
            let healthyCount = service.healthyCount
            healthy += healthyCount
            if healthyCount >= service.effectiveInstances { convergedServices += 1 }
            if let reason = service.pendingReason { pendingReasons[name] = reason }
        }
    }

    var description: String {
        "launched \(launched), running \(running), healthy \(healthy); services converged \(convergedServices)/\(services)"
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
