/// A file handed to the Manifests module: its repository-relative path ('/'-separated) and its bytes.
public struct ManifestFile: Sendable, Hashable {
    public var path: String
    public var contents: [UInt8]

    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }

    /// Whether a repository path names a manifest: `.yaml` or `.yml`, and no path component starts with '.'.
    public static func isManifestPath(_ path: String) -> Bool {
        guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else { return false }
        return !path.split(separator: "/").contains { $0.hasPrefix(".") }
    }
}

/// One file decoded on its own (no Defaults, no cross-file checks yet): a pure function of the file's
/// path and bytes, so callers may cache it by blob id and re-parse only changed files.
public struct ParsedFile: Sendable {
    public let path: String
    /// Decode errors of this file (syntax, types, unknown fields, hostile input).
    public let errors: [ManifestError]
    let documents: [ParsedDocument]

    /// Number of non-empty documents in the file.
    public var documentCount: Int { documents.count }
}
