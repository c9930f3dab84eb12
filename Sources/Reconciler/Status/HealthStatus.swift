import Foundation
import Manifests
import Scheduler

/// How a service is doing (Argo CD's health status).
public enum HealthStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case healthy = "Healthy"
    case progressing = "Progressing"
    case degraded = "Degraded"
    case suspended = "Suspended"
    case missing = "Missing"
}

extension HealthStatus {
    /// The health of one service and why it is not Healthy.
    ///
    /// Rules, first match wins:
    /// 1. unknown to the core: Missing for a Service or Worker that wants instances, else Healthy;
    /// 2. a pause override in force: Suspended;
    /// 3. job kinds (Scheduled, OnDemand, RunOnce): Degraded when the last run failed, else Healthy;
    /// 4. the current deploy failed: Degraded;
    /// 5. a crash-loop cooldown blocks replacements: Degraded;
    /// 6. instances wanted but no live task: Missing;
    /// 7. at least as many healthy tasks of the current deploy as wanted and none of an older deploy: Healthy;
    /// 8. a deploy in progress: Progressing, or Degraded once its healthy deadline has passed;
    /// 9. fewer healthy than wanted: Degraded when a live task of the current deploy is still not healthy
    ///    past the healthy deadline, else Progressing (replacements starting, backoff, waiting for offers).
    public static func evaluate(desired: Workload?, service: ServiceSnapshot?, now: Date) -> (status: HealthStatus, reason: String?) {
        guard let service else {
            let wanted = desired?.spec.instances ?? 0
            return wanted > 0 && desired?.kind.isLongRunning == true ? (.missing, "not handed to the scheduler yet") : (.healthy, nil)
        }
        if let pause = service.overrides.activeOverrides(now: now).first(where: { $0.kind == .pause }) {
            return (.suspended, pause.reason.isEmpty ? "paused" : "paused: \(pause.reason)")
        }
        if service.workload.kind.isJob {
            if let last = service.jobRuns.last, last.outcome == .failed {
                return (.degraded, "last run \(last.taskID) failed")
            }
            return (.healthy, nil)
        }
        let current = service.currentDeployID
        let currentEntry = service.deploys.first { $0.deployID == current }
        if case .failed(let reason) = service.deployStatus {
            return (.degraded, "deploy \(current) failed: \(reason)")
        }
        if let currentEntry, currentEntry.outcome == .failed {
            return (.degraded, "deploy \(current) failed" + (currentEntry.reason.map { ": \($0)" } ?? ""))
        }
        if case .cooldown(_, let reason) = service.launchGate {
            return (.degraded, reason)
        }
        let wanted = service.effectiveInstances
        let active = service.activeTasks
        if wanted > 0 && active.isEmpty {
            return (.missing, "no live task" + (service.pendingReason.map { ": \($0)" } ?? ""))
        }
        let healthy = service.healthyCount
        let older = active.filter { $0.deployID != current }.count
        if healthy >= wanted && older == 0 {
            return (.healthy, nil)
        }
        let deadline = TimeInterval((desired ?? service.workload).spec.deploy.healthyDeadlineSeconds)
        let counts = "\(healthy) of \(wanted) healthy"
        switch service.deployStatus {
        case .inProgress?, .waiting?:
            if let started = currentEntry?.startedAt, currentEntry?.outcome == .inProgress,
               now.timeIntervalSince(started) > deadline {
                return (.degraded, "deploy \(current): \(counts) after \(Int(deadline))s")
            }
            return (.progressing, "deploy \(current): \(counts)")
        default:
            let stuck = active.filter { $0.deployID == current && !$0.isHealthy && now.timeIntervalSince($0.launchedAt) > deadline }
            if !stuck.isEmpty {
                return (.degraded, "\(counts); \(stuck.count) not healthy after \(Int(deadline))s")
            }
            if case .backoff(_, let failures) = service.launchGate {
                return (.progressing, "\(counts); restart backoff after \(failures) failures")
            }
            if let pending = service.pendingReason {
                return (.progressing, "\(counts); waiting for resources: \(pending)")
            }
            return (.progressing, counts)
        }
    }
}
