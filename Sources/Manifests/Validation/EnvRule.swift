/// Environment variable names: letters, digits and '_', not starting with a digit.
enum EnvRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        for (key, value) in draft.spec.env ?? [:] where !isName(key) {
            errors.add(value.location, "spec.env.\(key)", "\"\(key)\" is not a valid environment variable name")
        }
    }

    static func isName(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard let first = bytes.first, !(48...57).contains(first) else { return false }
        return bytes.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
}
