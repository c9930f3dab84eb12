import Manifests

/// What the planner knows about one workload, on either side of a plan.
///
/// Built from a desired manifest (see `ClusterView(desired:)`) or, later, from what the scheduler
/// reports as running. `fields` is the canonical flattening of the workload (dotted paths to display
/// values), used only to explain a change; the decision itself compares the hashes.
public struct WorkloadState: Sendable, Equatable {
    public var name: String
    /// The manifest kind: Service, Worker, Scheduled, OnDemand or RunOnce.
    public var kind: String
    /// The template hash: a change means a new deploy.
    public var deployId: String {
        get { storedDeployId ?? hashedWorkload?.deployId ?? "" }
        set { storedDeployId = newValue }
    }
    /// The request hash (request-level fields, excluding `instances`): a change means an update in place.
    public var requestHash: String {
        get { storedRequestHash ?? hashedWorkload?.requestHash ?? "" }
        set { storedRequestHash = newValue }
    }
    public var instances: Int
    /// Canonical flattened fields, e.g. `spec.env.LOG_LEVEL` -> `"info"`. Computed on demand from a
    /// manifest (only changed workloads need them), or given as values.
    public var fields: [String: FieldValue] {
        get {
            switch fieldSource {
            case .values(let values): return values
            case .flatten(let flatten):
                var values: [String: FieldValue] = [:]
                let list = flatten.make()
                values.reserveCapacity(list.count)
                for (path, value) in list { values[path] = value }
                return values
            }
        }
        set { fieldSource = .values(newValue) }
    }

    /// The fields as (path, value) pairs, each path once, in no particular order, without building
    /// a dictionary.
    var fieldList: [(path: String, value: FieldValue)] { orderedFieldList.fields }

    /// `fieldList`, and whether it is in byte-wise path order already (a flattened manifest is):
    /// what a create lists.
    var orderedFieldList: (fields: [(path: String, value: FieldValue)], sorted: Bool) {
        switch fieldSource {
        case .values(let values): return (values.map { ($0.key, $0.value) }, false)
        case .flatten(let flatten): return (flatten.make(), true)
        }
    }


    var fieldSource: FieldSource
    private var storedDeployId: String?
    private var storedRequestHash: String?
    /// A desired workload's hashes are computed on first use (by the workload, once): a plan that
    /// only creates, shown as text, never needs them.
    private var hashedWorkload: Workload?

    public init(
        name: String, kind: String, deployId: String, requestHash: String, instances: Int,
        fields: [String: FieldValue] = [:]
    ) {
        self.name = name
        self.kind = kind
        self.instances = instances
        self.fieldSource = .values(fields)
        self.storedDeployId = deployId
        self.storedRequestHash = requestHash
    }

    /// A desired workload, its hashes computed when first asked for.
    init(name: String, kind: String, instances: Int, hashing workload: Workload, fieldSource: FieldSource) {
        self.name = name
        self.kind = kind
        self.instances = instances
        self.fieldSource = fieldSource
        self.hashedWorkload = workload
    }

    /// Both sides were made from the very same manifest workload (one reused from an earlier
    /// load): their hashes and fields agree without being computed.
    func hasSameManifest(as other: WorkloadState) -> Bool {
        guard let mine = hashedWorkload, let theirs = other.hashedWorkload,
              storedDeployId == nil, storedRequestHash == nil,
              other.storedDeployId == nil, other.storedRequestHash == nil else { return false }
        return mine.isSame(as: theirs)
    }

    public static func == (a: WorkloadState, b: WorkloadState) -> Bool {
        a.name == b.name && a.kind == b.kind && a.deployId == b.deployId && a.requestHash == b.requestHash
            && a.instances == b.instances && a.fields == b.fields
    }

    /// Where the fields come from.
    enum FieldSource: Sendable {
        case values([String: FieldValue])
        case flatten(LazyFields)
    }

    /// A deferred flattening, so that a view of 10,000 workloads costs nothing until a plan asks for
    /// the fields of the few that changed.
    struct LazyFields: Sendable {
        let workload: Workload

        /// Each path once (the canonical flattening has unique paths), sorted by path (byte-wise).
        func make() -> [(path: String, value: FieldValue)] { WorkloadState.flatten(workload) }
    }
}

/// A leaf value of the canonical flattening, kept typed so JSON output stays typed.
public enum FieldValue: Sendable, Hashable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// The value as shown in text and markdown: strings quoted (as JSON string literals), the rest bare.
    public var display: String {
        switch self {
        case .string(let s): return JSONString.quoted(s)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// Appends `display` to `out` without building it first.
    public func appendDisplay(to out: inout String) {
        switch self {
        case .string(let s): JSONString.append(s, to: &out)
        case .number(let n): out += n
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }
}
