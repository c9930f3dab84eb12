import Foundation
import Logging

extension SchedulerCore {
    func putOverride(_ override: Override, now: Date) throws {
        guard state.services[override.service] != nil || state.desired?.workloads[override.service] != nil else {
            throw SchedulerCoreError.unknownService(override.service)
        }
        switch override.kind {
        case .scale:
            guard let value = override.value, value >= 0 else {
                throw SchedulerCoreError.invalidOverride("scale override of \(override.service) needs an instance count >= 0")
            }
        case .pause, .bounce, .skipHealthChecks:
            guard override.value == nil else {
                throw SchedulerCoreError.invalidOverride("\(override.kind.rawValue) override of \(override.service) takes no value")
            }
        }
        if let expiresAt = override.expiresAt, expiresAt <= now {
            throw SchedulerCoreError.invalidOverride("override of \(override.service) expired already (\(expiresAt))")
        }
        try store.putOverride(override)
        state.overrides.removeAll { $0.service == override.service && $0.kind == override.kind }
        state.overrides.append(override)
        configuration.logger.info("Override set", metadata: [
            "service": "\(override.service)", "kind": "\(override.kind.rawValue)", "value": "\(override.value.map(String.init) ?? "-")"])
        refreshTargets(now: now)
        needsTick = true
    }

    func deleteOverride(service: String, kind: Override.Kind) throws {
        guard state.services[service] != nil || state.overrides.contains(where: { $0.service == service }) else {
            throw SchedulerCoreError.unknownService(service)
        }
        try store.removeOverride(service: service, kind: kind)
        state.overrides.removeAll { $0.service == service && $0.kind == kind }
        needsTick = true
    }

    /// Drops expired overrides (in memory and in the store); returns the next expiry.
    func expireOverrides(now: Date) -> Date? {
        let expired = state.overrides.filter { ($0.expiresAt ?? .distantFuture) <= now }
        if !expired.isEmpty {
            state.overrides.removeAll { ($0.expiresAt ?? .distantFuture) <= now }
            do { try store.pruneExpiredOverrides(now: now) } catch {
                configuration.logger.error("Cannot prune overrides", metadata: ["error": "\(error)"])
            }
            for override in expired {
                configuration.logger.info("Override expired", metadata: ["service": "\(override.service)", "kind": "\(override.kind.rawValue)"])
            }
        }
        return state.overrides.compactMap(\.expiresAt).min()
    }
}
