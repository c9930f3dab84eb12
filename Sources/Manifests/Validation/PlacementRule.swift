/// Placement: every allowed-attribute list names at least one value.
enum PlacementRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        for (key, values) in draft.spec.placement.allowedAttributes ?? [:] where values.value.isEmpty {
            errors.add(values.location, "spec.placement.allowedAttributes.\(key)", "must list at least one value")
        }
    }
}
