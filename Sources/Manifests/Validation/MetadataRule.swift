/// Owners and label keys must not be empty.
enum MetadataRule: DocumentRule {
    static func check(_ document: ParsedDocument, into errors: inout [ManifestError]) {
        if let owners = document.metadata.owners {
            for (i, owner) in owners.value.enumerated() where owner.isEmpty {
                errors.add(owners.location, "metadata.owners[\(i)]", "must not be empty")
            }
        }
        for (key, value) in document.metadata.labels ?? [:] where key.isEmpty {
            errors.add(value.location, "metadata.labels", "label keys must not be empty")
        }
    }
}
