import Foundation
import Reconciler
import ServiceLifecycle
import Synchronization

/// Prints each sync and each service's progress as it changes; optionally ends the program once the
/// applied revision runs (exit 0) or a deploy fails (exit 1).
final class ProgressService: Service, Sendable {
    let controller: Controller
    let exitWhenConverged: Bool
    let timeoutSeconds: Double
    /// The exit code when the service ended the program itself.
    let outcome = OutcomeBox()

    init(controller: Controller, exitWhenConverged: Bool, timeoutSeconds: Double) {
        self.controller = controller
        self.exitWhenConverged = exitWhenConverged
        self.timeoutSeconds = timeoutSeconds
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown { await self.follow() }
    }

    private func follow() async {
        let started = Date()
        var shownSync = 0
        var shown: [String: String] = [:]
        var convergedRevision: String?
        do {
            while !Task.isCancelled {
                let state = await controller.state()
                if let sync = state.lastSync, sync.id != shownSync || shown["#sync"] != sync.outcome.rawValue {
                    shownSync = sync.id
                    shown["#sync"] = sync.outcome.rawValue
                    print("sync \(sync.id) (\(sync.trigger.rawValue)) \(sync.revision.map { String($0.prefix(12)) } ?? "-"): "
                        + "\(sync.outcome.rawValue): \(sync.message)")
                    for error in sync.errors.prefix(20) where sync.outcome == .rejected { print("  \(error)") }
                }
                if let convergence = await controller.convergence() {
                    for entry in convergence.progress {
                        let line = entry.kind.isLongRunning ? "\(entry.healthy)/\(entry.desired) healthy, \(entry.detail)" : entry.detail
                        if shown[entry.name] != line {
                            print("  \(entry.name) (\(entry.kind.rawValue)): \(line)")
                            shown[entry.name] = line
                        }
                    }
                    if convergence.converged, convergedRevision != state.appliedRevision {
                        convergedRevision = state.appliedRevision
                        print("converged: \(state.appliedRevision.map { String($0.prefix(12)) } ?? "-") runs "
                            + "(\(String(format: "%.1f", Date().timeIntervalSince(started)))s since start)")
                        if exitWhenConverged {
                            outcome.set(0)
                            fflush(nil)
                            return
                        }
                    }
                    if exitWhenConverged, !convergence.failures.isEmpty {
                        for failure in convergence.failures { print("failed: \(failure.name): \(failure.reason)") }
                        outcome.set(1)
                        fflush(nil)
                        return
                    }
                }
                if exitWhenConverged, Date().timeIntervalSince(started) > timeoutSeconds {
                    print("not converged within \(Int(timeoutSeconds))s")
                    outcome.set(1)
                    fflush(nil)
                    return
                }
                fflush(nil)
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}

/// The exit code a service decided on, read after the group ended.
final class OutcomeBox: Sendable {
    private let storage = Mutex<Int32?>(nil)

    func set(_ code: Int32) { storage.withLock { $0 = code } }
    var value: Int32? { storage.withLock { $0 } }
}
