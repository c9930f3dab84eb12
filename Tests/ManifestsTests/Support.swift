import Manifests

/// Loads an in-memory repository: path -> YAML text.
func load(_ files: [String: String]) -> ManifestSet {
    loadManifests(files.sorted { $0.key < $1.key }.map { ManifestFile(path: $0.key, contents: Array($0.value.utf8)) })
}

/// Loads a single file and returns its errors as `description` strings.
func errorLines(_ yaml: String, path: String = "app.yaml") -> [String] {
    load([path: yaml]).errors.map(\.description)
}

/// A minimal valid document of a kind, with extra spec lines (indented by 2 under `spec:`).
func manifest(_ kind: String = "Service", name: String = "web", spec: String = "command: sleep 1") -> String {
    let body = spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    return """
        apiVersion: converge/v1
        kind: \(kind)
        metadata:
          name: \(name)
        spec:
        \(body)

        """
}
