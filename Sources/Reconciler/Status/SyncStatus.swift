import Foundation
import Manifests
import Scheduler

/// Whether a service runs what the applied revision says (Argo CD's sync status).
public enum SyncStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case synced = "Synced"
    case outOfSync = "OutOfSync"
}

extension SyncStatus {
    /// The sync status of one service and, when out of sync, why.
    ///
    /// Rules, first match wins:
    /// 1. desired but unknown to the core: OutOfSync (not created yet);
    /// 2. known to the core but not desired: OutOfSync (to be deleted);
    /// 3. the core's deploy id, request hash or kind differ from the desired workload: OutOfSync;
    /// 4. an override in force (scale, pause, bounce, skipHealthChecks): OutOfSync (drift until it expires);
    /// 5. the core's effective instances differ from the desired count (except `spreadAllAgents`,
    ///    whose count is the eligible agents): OutOfSync;
    /// 6. otherwise Synced.
    public static func evaluate(desired: Workload?, service: ServiceSnapshot?, now: Date) -> (status: SyncStatus, reason: String?) {
        switch (desired, service) {
        case (nil, nil):
            return (.synced, nil)
        case (_?, nil):
            return (.outOfSync, "not created yet")
        case (nil, _?):
            return (.outOfSync, "not in the applied revision: to be deleted")
        case let (desired?, service?):
            let running = service.workload
            if running.kind != desired.kind {
                return (.outOfSync, "kind \(running.kind.rawValue), want \(desired.kind.rawValue)")
            }
            if running.deployId != desired.deployId {
                return (.outOfSync, "deploy \(running.deployId), want \(desired.deployId)")
            }
            if running.requestHash != desired.requestHash {
                return (.outOfSync, "request settings differ from the applied revision")
            }
            let overrides = service.overrides.activeOverrides(now: now)
            if !overrides.isEmpty {
                let kinds = overrides.map(\.kind.rawValue).sorted().joined(separator: ", ")
                return (.outOfSync, "override in force: \(kinds)")
            }
            if desired.spec.placement.spread != .spreadAllAgents, service.effectiveInstances != desired.spec.instances {
                return (.outOfSync, "\(service.effectiveInstances) instances, want \(desired.spec.instances)")
            }
            return (.synced, nil)
        }
    }
}

extension Array where Element == Override {
    /// The overrides not yet expired at `now`.
    func activeOverrides(now: Date) -> [Override] {
        filter { $0.expiresAt.map { $0 > now } ?? true }
    }
}
