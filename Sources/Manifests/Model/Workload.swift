import Foundation

/// One desired workload of the repository, resolved, validated and hashed.
///
/// A value with its contents in one immutable shared box: copying a workload (into maps, views,
/// caches) costs one retain, however large its spec. The hashes are computed on first use (once):
/// validating a repository does not need them, planning does.
public struct Workload: Sendable, Hashable {
    /// `@unchecked Sendable` is safe: the `let` properties are immutable, and `hashes` is only read
    /// or written while holding `lock`.
    private final class Storage: @unchecked Sendable {
        let kind: WorkloadKind
        let metadata: Metadata
        let spec: WorkloadSpec
        let source: SourceLocation
        private let lock = NSLock()
        private var hashes: (template: String, request: String, deployId: String)?

        init(kind: WorkloadKind, metadata: Metadata, spec: WorkloadSpec, source: SourceLocation) {
            self.kind = kind
            self.metadata = metadata
            self.spec = spec
            self.source = source
        }

        var computedHashes: (template: String, request: String, deployId: String) {
            lock.lock()
            defer { lock.unlock() }
            if let hashes { return hashes }
            // One buffer: the template's fields, then the request's; each part hashed on its own.
            var out = FieldWriter(collecting: false)
            Workload.writeTemplate(kind: kind, metadata: metadata, spec: spec, to: &out)
            let templateEnd = out.count
            Workload.writeRequest(kind: kind, metadata: metadata, spec: spec, to: &out)
            let template = out.sha256Hex(of: 0..<templateEnd)
            let computed = (template, out.sha256Hex(of: templateEnd..<out.count), String(template.prefix(12)))
            hashes = computed
            return computed
        }
    }

    private let storage: Storage

    public var kind: WorkloadKind { storage.kind }
    public var metadata: Metadata { storage.metadata }
    public var spec: WorkloadSpec { storage.spec }
    /// Where the document starts.
    public var source: SourceLocation { storage.source }
    /// SHA-256 (hex) over `templateFields`: changes mean a new deploy.
    public var templateHash: String { storage.computedHashes.template }
    /// SHA-256 (hex) over `requestFields`: changes mean an in-place update.
    public var requestHash: String { storage.computedHashes.request }

    public var name: String { metadata.name }
    /// The first 12 hex digits of the template hash.
    public var deployId: String { storage.computedHashes.deployId }

    /// Whether `other` is this very value (a copy of it), not only an equal one: a workload reused
    /// from an earlier load is the same.
    public func isSame(as other: Workload) -> Bool { storage === other.storage }

    public init(kind: WorkloadKind, metadata: Metadata, spec: WorkloadSpec, source: SourceLocation) {
        storage = Storage(kind: kind, metadata: metadata, spec: spec, source: source)
    }

    /// Equal contents (the hashes follow from them).
    public static func == (a: Workload, b: Workload) -> Bool {
        if a.storage === b.storage { return true }
        return a.kind == b.kind && a.metadata == b.metadata && a.spec == b.spec && a.source == b.source
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(metadata)
        hasher.combine(spec)
        hasher.combine(source)
    }
}
