/// `spec.artifacts[]`: a URI fetched into the sandbox before the task starts (Mesos fetcher).
/// Defaults: extract true, executable false, cache false, no sha256 (the Converge executor verifies
/// one when given: 64 lowercase hex digits).
public struct Artifact: Sendable, Hashable {
    public var uri: String
    public var extract: Bool
    public var executable: Bool
    public var cache: Bool
    public var sha256: String?

    public init(uri: String, extract: Bool = true, executable: Bool = false, cache: Bool = false, sha256: String? = nil) {
        self.sha256 = sha256
        self.uri = uri
        self.extract = extract
        self.executable = executable
        self.cache = cache
    }
}
