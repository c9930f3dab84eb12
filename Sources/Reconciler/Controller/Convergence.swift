import Foundation
import Manifests
import Scheduler

/// Whether the cluster runs what a desired set asks for, service by service: what `converge apply` waits
/// for and what turns a sync from progressing into synced (or degraded).
public struct Convergence: Sendable {
    public struct Progress: Sendable, Hashable {
        public var name: String
        public var kind: WorkloadKind
        public var healthy: Int
        public var desired: Int
        /// "deploy 3f2a9c… step: 2 of 3 healthy", "waiting for a place: …", "done".
        public var detail: String
        public var done: Bool
    }

    public var progress: [Progress]
    /// Services whose deploy (or RunOnce job) of this desired set failed, with the reason.
    public var failures: [(name: String, reason: String)]
    /// Services removed from the desired set that still have tasks.
    public var stopping: [String]
    /// Agents a Maintenance selector matches that are not yet empty.
    public var decommissioning: [String]
    public var ready: Bool

    public var converged: Bool {
        ready && failures.isEmpty && stopping.isEmpty && decommissioning.isEmpty && progress.allSatisfy(\.done)
    }

    public init(desired: DesiredState, snapshot: CoreSnapshot) {
        // A snapshot taken before the core worked on this desired set says nothing about it.
        ready = snapshot.reconciled && snapshot.connection == .subscribed && snapshot.revision == desired.revision
        var progress: [Progress] = []
        var failures: [(name: String, reason: String)] = []
        for name in desired.workloads.keys.sorted() {
            let workload = desired.workloads[name]!
            guard let service = snapshot.services[name], service.workload == workload else {
                progress.append(Progress(name: name, kind: workload.kind, healthy: 0, desired: workload.spec.instances,
                                         detail: "not handed to the scheduler yet", done: false))
                continue
            }
            let (entry, failure) = Self.evaluate(service)
            progress.append(entry)
            if let failure { failures.append((name, failure)) }
        }
        self.progress = progress
        self.failures = failures
        stopping = snapshot.services.values
            .filter { desired.workloads[$0.name] == nil && !$0.activeTasks.isEmpty }.map(\.name).sorted()
        decommissioning = snapshot.agents.values.filter { agent in
            agent.state != .decommissioned
                && desired.decommission.contains { $0.matches(hostname: agent.hostname, attributes: agent.attributes) }
        }.map(\.hostname).sorted()
    }

    static func evaluate(_ service: ServiceSnapshot) -> (Progress, failure: String?) {
        let workload = service.workload
        let healthy = service.healthyCount
        let desired = service.effectiveInstances
        func entry(_ detail: String, done: Bool) -> Progress {
            Progress(name: workload.name, kind: workload.kind, healthy: healthy, desired: desired, detail: detail, done: done)
        }
        switch workload.kind {
        case .service, .worker:
            let deploy = String(service.currentDeployID.prefix(12))
            if let pending = service.pendingReason, healthy < desired {
                return (entry("deploy \(deploy): waiting for a place: \(pending)", done: false), nil)
            }
            if case .cooldown(_, let reason) = service.launchGate, healthy < desired {
                return (entry("deploy \(deploy): \(reason)", done: false), nil)
            }
            switch service.deployStatus {
            case .succeeded?:
                let done = healthy >= desired
                return (entry(done ? "deploy \(deploy): done" : "deploy \(deploy): replacing instances", done: done), nil)
            case .failed(let reason)?:
                return (entry("deploy \(deploy) failed: \(reason)", done: false), reason)
            case .waiting(let until, _, _)?:
                let seconds = max(0, Int(until.timeIntervalSinceNow.rounded(.up)))
                return (entry("deploy \(deploy): \(healthy) of \(desired) healthy, next launch in \(seconds)s", done: false), nil)
            case .inProgress?, nil:
                if let failed = service.deploys.first(where: { $0.deployID == service.currentDeployID && $0.outcome == .failed }) {
                    let reason = failed.reason ?? "deploy failed"
                    return (entry("deploy \(deploy) failed: \(reason)", done: false), reason)
                }
                return (entry("deploy \(deploy): \(healthy) of \(desired) healthy", done: false), nil)
            }
        case .runOnce:
            let runs = service.jobRuns
            if runs.contains(where: { $0.outcome == .succeeded }) { return (entry("ran once: succeeded", done: true), nil) }
            let failed = runs.filter { $0.outcome == .failed }.count
            if failed > workload.spec.retries {
                let reason = "RunOnce job failed \(failed) time\(failed == 1 ? "" : "s")"
                return (entry(reason, done: false), reason)
            }
            return (entry(runs.contains { $0.outcome == .running } ? "running" : "waiting to run", done: false), nil)
        case .scheduled:
            let next = service.nextFire.map { "next run \(ISO8601DateFormatter().string(from: $0))" } ?? "scheduled"
            return (entry(next, done: true), nil)
        case .onDemand:
            return (entry("ready for triggers", done: true), nil)
        }
    }
}
