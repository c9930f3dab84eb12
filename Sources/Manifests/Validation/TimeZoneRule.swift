import Foundation

/// `timeZone` must be an IANA time zone identifier.
enum TimeZoneRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        guard let zone = draft.spec.timeZone else { return }
        if !isKnown(zone.value) {
            var message = "unknown time zone \"\(zone.value)\"; expected an IANA name such as Europe/Berlin"
            if let suggestion = FieldSuggestion.closest(to: zone.value, in: TimeZone.knownTimeZoneIdentifiers) {
                message = "unknown time zone \"\(zone.value)\"; did you mean '\(suggestion)'?"
            }
            errors.add(zone.location, "spec.timeZone", message)
        }
    }

    /// Whether Foundation knows `identifier`; identifiers found valid once are remembered (a fleet
    /// of Scheduled jobs names the same few zones thousands of times).
    static func isKnown(_ identifier: String) -> Bool {
        if known.withLock({ $0.contains(identifier) }) { return true }
        guard TimeZone(identifier: identifier) != nil else { return false }
        known.withLock { set in
            if set.count < 1024 { set.insert(identifier) }
        }
        return true
    }

    private static let known = LockedSet()
}

/// A set of strings behind a lock. `@unchecked Sendable` is safe: `set` is only touched while
/// holding `lock`.
final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var set: Set<String> = []

    func withLock<R>(_ body: (inout Set<String>) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&set)
    }
}
