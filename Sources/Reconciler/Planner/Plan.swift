/// The result of planning: what must change for the actual side to match the desired side.
///
/// Typed lists, each sorted by workload name, plus counts. Values only: the plan carries no
/// secrets (sensitive env values are already masked in `fields`).
public struct Plan: Sendable, Equatable {
    public var creates: [WorkloadChange] = []
    public var deploys: [WorkloadChange] = []
    public var scales: [WorkloadChange] = []
    public var updates: [WorkloadChange] = []
    public var deletes: [WorkloadChange] = []
    public var maintenance: [MaintenanceChange] = []

    public init() {}

    /// Every workload change, in one deterministic order: by name (byte-wise, UTF-8). Each list is
    /// sorted by name already: one list (e.g. a plan of creates only) is returned as is, several are
    /// merged.
    public var changes: [WorkloadChange] {
        let lists = [creates, deploys, scales, updates, deletes].filter { !$0.isEmpty }
        if lists.count <= 1 { return lists.first ?? [] }
        let sortedByName = lists.allSatisfy { list in
            zip(list, list.dropFirst()).allSatisfy { !String.utf8Precedes($1.name, $0.name) }
        }
        guard sortedByName else {
            // Lists built by hand, not by the planner.
            return lists.joined().sorted { String.utf8Precedes($0.name, $1.name) }
        }
        var next = [Int](repeating: 0, count: lists.count)
        var merged: [WorkloadChange] = []
        merged.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        while true {
            var best = -1
            for l in lists.indices where next[l] < lists[l].count {
                if best < 0 || String.utf8Precedes(lists[l][next[l]].name, lists[best][next[best]].name) { best = l }
            }
            if best < 0 { return merged }
            merged.append(lists[best][next[best]])
            next[best] += 1
        }
    }

    public var summary: Summary {
        Summary(
            create: creates.count, deploy: deploys.count, scale: scales.count,
            update: updates.count, delete: deletes.count,
            decommission: maintenance.filter { $0.action == .decommission }.count,
            recommission: maintenance.filter { $0.action == .recommission }.count
        )
    }

    /// True when the actual side already matches the desired side.
    public var isEmpty: Bool { summary.total == 0 }

    public struct Summary: Sendable, Equatable {
        public var create: Int
        public var deploy: Int
        public var scale: Int
        public var update: Int
        public var delete: Int
        public var decommission: Int
        public var recommission: Int

        public var total: Int { create + deploy + scale + update + delete + decommission + recommission }
    }
}

/// One workload that differs.
public struct WorkloadChange: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        /// In the desired state only.
        case create
        /// The task template changed: a new deploy replaces the instances step by step.
        case deploy
        /// Only `instances` changed.
        case scale
        /// Request-level fields changed (placement, schedule, owners, ...): applied in place.
        case update
        /// In the actual state only.
        case delete
    }

    public var name: String
    public var kind: String
    public var action: Action
    /// The fields that differ, sorted by path; for a create every field (before nil), for a delete
    /// none. Sensitive values are masked. A create planned from a manifest builds them on each
    /// access (see `createListing`).
    public var fields: [FieldChange] {
        get {
            switch fieldStore {
            case .values(let fields): return fields
            case .create(let listing): return listing.fields
            }
        }
        set { fieldStore = .values(newValue) }
    }
    /// For a create planned from a manifest: its fields as bytes, for output that prints them.
    public var createListing: CreateListing? {
        if case .create(let listing) = fieldStore { return listing }
        return nil
    }
    var fieldStore: FieldStore
    public var deployIdBefore: String?
    public var deployIdAfter: String? {
        get {
            if hashesOnDemand, case .create(let listing) = fieldStore { return listing.workload.deployId }
            return storedDeployIdAfter
        }
        set {
            hashesOnDemand = false
            storedDeployIdAfter = newValue
        }
    }
    private var storedDeployIdAfter: String?
    /// A create planned from a manifest: its deploy id is hashed when first shown (text output
    /// never shows it).
    private var hashesOnDemand = false
    public var instancesBefore: Int?
    public var instancesAfter: Int?

    public init(
        name: String, kind: String, action: Action, fields: [FieldChange] = [],
        deployIdBefore: String? = nil, deployIdAfter: String? = nil,
        instancesBefore: Int? = nil, instancesAfter: Int? = nil
    ) {
        self.name = name
        self.kind = kind
        self.action = action
        self.fieldStore = .values(fields)
        self.deployIdBefore = deployIdBefore
        self.storedDeployIdAfter = deployIdAfter
        self.instancesBefore = instancesBefore
        self.instancesAfter = instancesAfter
    }

    /// A create whose fields stay bytes until shown.
    init(create listing: CreateListing, name: String, kind: String, instancesAfter: Int) {
        self.init(name: name, kind: kind, action: .create, instancesAfter: instancesAfter)
        hashesOnDemand = true
        fieldStore = .create(listing)
    }

    enum FieldStore: Sendable {
        case values([FieldChange])
        case create(CreateListing)
    }

    public static func == (a: WorkloadChange, b: WorkloadChange) -> Bool {
        a.name == b.name && a.kind == b.kind && a.action == b.action && a.deployIdBefore == b.deployIdBefore
            && a.deployIdAfter == b.deployIdAfter && a.instancesBefore == b.instancesBefore
            && a.instancesAfter == b.instancesAfter && a.fields == b.fields
    }
}

/// One field's before and after value (nil: absent on that side).
public struct FieldChange: Sendable, Equatable {
    public var path: String
    public var before: FieldValue?
    public var after: FieldValue?

    public init(path: String, before: FieldValue?, after: FieldValue?) {
        self.path = path
        self.before = before
        self.after = after
    }
}

/// A maintenance selector that appeared (decommission its agents) or disappeared (bring them back).
public struct MaintenanceChange: Sendable, Equatable {
    public enum Action: String, Sendable {
        case decommission
        case recommission
    }

    public var action: Action
    public var selector: MaintenanceSelector

    public init(action: Action, selector: MaintenanceSelector) {
        self.action = action
        self.selector = selector
    }
}
