import ArgumentParser
import Foundation
import Logging
import Reconciler

/// `converge apply`: sync once to a revision and follow it until the cluster runs it.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Converge a Mesos cluster to a revision once, showing progress.",
        discussion: "Exit status: 0 converged; 1 the revision was rejected or refused, a deploy failed, or --timeout passed."
    )

    @OptionGroup var source: ControllerOptions
    @OptionGroup var core: CoreOptions

    @Option(help: ArgumentHelp("Give up after this long.", valueName: "duration"))
    var timeout: String = "10m"

    func validate() throws {
        _ = try DurationArgument.seconds(timeout, option: "--timeout")
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let logger = Logger(label: "converge")
        let configuration = try source.configuration()
        let deadline = Date().addingTimeInterval(try DurationArgument.seconds(timeout, option: "--timeout"))
        let controller = try Controller(
            configuration: configuration, core: try await core.makeCore(stateDirectory: configuration.stateDirectory!, logger: logger),
            logger: logger)
        let code = await apply(controller, deadline: deadline)
        await controller.shutdown()
        if code != 0 { throw ExitCode(code) }
    }

    private func apply(_ controller: Controller, deadline: Date) async -> Int32 {
        let started = Date()
        let record = await controller.sync(trigger: .api)
        switch record.outcome {
        case .failed, .rejected, .refused:
            Console.err("error: \(record.message)\n")
            for error in record.errors.dropFirst(record.outcome == .rejected ? 0 : 1) { Console.err("  \(error)\n") }
            return 1
        case .synced, .progressing, .degraded:
            print("revision \(record.revision.map { String($0.prefix(12)) } ?? "-"): \(record.message)")
        }
        var shown: [String: String] = [:]
        while true {
            await controller.observe()
            guard let convergence = await controller.convergence() else { return 1 }
            let elapsed = String(format: "%5.1fs", Date().timeIntervalSince(started))
            for entry in convergence.progress {
                let line = entry.kind.isLongRunning
                    ? "\(entry.name) \(entry.healthy)/\(entry.desired) healthy, \(entry.detail)" : "\(entry.name) \(entry.detail)"
                if shown[entry.name] != line {
                    print("[\(elapsed)] \(line)")
                    shown[entry.name] = line
                }
            }
            for name in convergence.stopping where shown["-" + name] == nil {
                print("[\(elapsed)] \(name) stopping (deleted)")
                shown["-" + name] = "stopping"
            }
            fflush(nil)
            if convergence.converged {
                print("converged in \(String(format: "%.1f", Date().timeIntervalSince(started)))s")
                return 0
            }
            if !convergence.failures.isEmpty {
                Console.err("error: deploy failed\n")
                for failure in convergence.failures { Console.err("  \(failure.name): \(failure.reason)\n") }
                return 1
            }
            if Date() >= deadline {
                Console.err("error: not converged within \(timeout)\n")
                for entry in convergence.progress where !entry.done {
                    Console.err("  \(entry.name): \(entry.healthy)/\(entry.desired) healthy, \(entry.detail)\n")
                }
                if !convergence.ready { Console.err("  the scheduler is not subscribed and reconciled with the master\n") }
                for name in convergence.stopping { Console.err("  \(name): still stopping\n") }
                for host in convergence.decommissioning { Console.err("  agent \(host): still decommissioning\n") }
                return 1
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}
