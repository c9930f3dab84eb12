/// `spec.artifacts[]`: a URI fetched into the sandbox before the task starts (Mesos fetcher).
/// Defaults: extract true, executable false, cache false.
public struct Artifact: Sendable, Hashable {
    public var uri: String
    public var extract: Bool
    public var executable: Bool
    public var cache: Bool

    public init(uri: String, extract: Bool = true, executable: Bool = false, cache: Bool = false) {
        self.uri = uri
        self.extract = extract
        self.executable = executable
        self.cache = cache
    }
}
