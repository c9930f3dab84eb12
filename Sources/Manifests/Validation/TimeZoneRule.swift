import Foundation

/// `timeZone` must be an IANA time zone identifier.
enum TimeZoneRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        guard let zone = draft.spec.timeZone else { return }
        if TimeZone(identifier: zone.value) == nil {
            var message = "unknown time zone \"\(zone.value)\"; expected an IANA name such as Europe/Berlin"
            if let suggestion = FieldSuggestion.closest(to: zone.value, in: TimeZone.knownTimeZoneIdentifiers) {
                message = "unknown time zone \"\(zone.value)\"; did you mean '\(suggestion)'?"
            }
            errors.add(zone.location, "spec.timeZone", message)
        }
    }
}
