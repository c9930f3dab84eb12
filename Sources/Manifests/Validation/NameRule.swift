/// `metadata.name` is required and a DNS label: lowercase letters, digits and '-', at most 63
/// characters, starting and ending with a letter or digit. (Uniqueness is checked across the
/// repository in `assemble`.)
enum NameRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        checkName(of: draft.document, into: &errors)
    }

    static func checkName(of document: ParsedDocument, into errors: inout [ManifestError]) {
        guard let name = document.metadata.name else {
            if document.failed("metadata.name") { return }
            errors.add(document.metadataLocation, "metadata.name", "required field missing")
            return
        }
        if let problem = problem(with: name.value) {
            errors.add(name.location, "metadata.name", problem)
        }
    }

    static func problem(with name: String) -> String? {
        let bytes = Array(name.utf8)
        if bytes.isEmpty { return "must not be empty" }
        if bytes.count > 63 { return "\"\(name)\" is longer than 63 characters" }
        let valid = bytes.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        if !valid || bytes.first == 45 || bytes.last == 45 {
            return "\"\(name)\" is not a DNS label (lowercase letters, digits and '-', starting and ending with a letter or digit)"
        }
        return nil
    }
}

/// A Maintenance document needs a valid name too.
enum MaintenanceNameRule: DocumentRule {
    static func check(_ document: ParsedDocument, into errors: inout [ManifestError]) {
        NameRule.checkName(of: document, into: &errors)
    }
}
