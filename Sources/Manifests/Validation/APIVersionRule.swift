/// `apiVersion` must be `converge/v1`.
enum APIVersionRule: DocumentRule {
    static let current = ManifestFields.apiVersion

    static func check(_ document: ParsedDocument, into errors: inout [ManifestError]) {
        guard let version = document.apiVersion else {
            errors.add(document.location, "apiVersion", "required field missing; expected \(current)")
            return
        }
        if version.value != current {
            errors.add(version.location, "apiVersion", "unsupported version \"\(version.value)\"; expected \(current)")
        }
    }
}
