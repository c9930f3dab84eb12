import Manifests

/// Decides what must change for `actual` to match `desired`. Pure: values in, a value out.
///
/// Each workload name present on either side is classified by the first matching rule:
///
/// | rule | desired | actual | hashes                                   | action  |
/// |------|---------|--------|------------------------------------------|---------|
/// | 1    | yes     | no     |                                          | create  |
/// | 2    | no      | yes    |                                          | delete  |
/// | 3    | yes     | yes    | kind or deploy id differ                 | deploy  |
/// | 4    | yes     | yes    | request hash differs                     | update  |
/// | 5    | yes     | yes    | only instances differ                    | scale   |
/// | 6    | yes     | yes    | all equal                                | none    |
///
/// A deploy or an update whose instances also changed reports the instances change among its
/// fields (the deploy runs at the new count). Maintenance selectors are compared as sets.
public enum Planner {
    public static func plan(desired: ClusterView, actual: ClusterView) -> Plan {
        var plan = Plan()
        // Visit each name once (desired side, then names only on the actual side); sort only the
        // changes, so a large unchanged fleet costs one hash lookup per workload.
        // Classifying is pure and per name; a large plan (e.g. 10,000 creates) spreads over the cores.
        let wanted = Array(desired.workloads.values)
        let classified = concurrentMap(wanted, minimumCount: 512) { want in
            classify(desired: want, actual: actual.workloads.isEmpty ? nil : actual.workloads[want.name])
        }
        var changes = classified.compactMap { $0 }
        for (name, have) in actual.workloads where desired.workloads[name] == nil {
            if let change = classify(desired: nil, actual: have) { changes.append(change) }
        }
        // By name, byte-wise; only indices move (a change is a large value).
        let order = PathOrder.permutation(changes.map(\.name)) ?? Array(changes.indices)
        for i in order {
            let change = changes[i]
            switch change.action {
            case .create: plan.creates.append(change)
            case .deploy: plan.deploys.append(change)
            case .scale: plan.scales.append(change)
            case .update: plan.updates.append(change)
            case .delete: plan.deletes.append(change)
            }
        }
        for selector in desired.maintenance.subtracting(actual.maintenance).sorted() {
            plan.maintenance.append(MaintenanceChange(action: .decommission, selector: selector))
        }
        for selector in actual.maintenance.subtracting(desired.maintenance).sorted() {
            plan.maintenance.append(MaintenanceChange(action: .recommission, selector: selector))
        }
        return plan
    }

    /// The change for one workload name, or nil when both sides agree.
    static func classify(desired: WorkloadState?, actual: WorkloadState?) -> WorkloadChange? {
        switch (desired, actual) {
        case (nil, nil):
            return nil
        case (let desired?, nil):
            if case .flatten(let lazy) = desired.fieldSource {
                return WorkloadChange(
                    create: CreateListing(workload: lazy.workload), name: desired.name, kind: desired.kind,
                    instancesAfter: desired.instances)
            }
            return WorkloadChange(
                name: desired.name, kind: desired.kind, action: .create,
                fields: createFields(desired.orderedFieldList),
                deployIdAfter: desired.deployId, instancesAfter: desired.instances)
        case (nil, let actual?):
            return WorkloadChange(
                name: actual.name, kind: actual.kind, action: .delete,
                deployIdBefore: actual.deployId, instancesBefore: actual.instances)
        case (let desired?, let actual?):
            if desired.instances == actual.instances, desired.kind == actual.kind,
               desired.hasSameManifest(as: actual) {
                return nil
            }
            let action: WorkloadChange.Action
            if desired.kind != actual.kind || desired.deployId != actual.deployId {
                action = .deploy
            } else if desired.requestHash != actual.requestHash {
                action = .update
            } else if desired.instances != actual.instances {
                action = .scale
            } else {
                return nil
            }
            var fields = fieldChanges(from: actual.fields, to: desired.fields)
            if desired.kind != actual.kind, !fields.contains(where: { $0.path == "kind" }) {
                fields.insert(FieldChange(path: "kind", before: .string(actual.kind), after: .string(desired.kind)), at: 0)
            }
            if desired.instances != actual.instances, !fields.contains(where: { $0.path == instancesPath }) {
                fields.append(FieldChange(
                    path: instancesPath, before: .number(String(actual.instances)),
                    after: .number(String(desired.instances))))
                fields.sort { String.utf8Precedes($0.path, $1.path) }
            }
            return WorkloadChange(
                name: desired.name, kind: desired.kind, action: action, fields: fields,
                deployIdBefore: actual.deployId, deployIdAfter: desired.deployId,
                instancesBefore: actual.instances, instancesAfter: desired.instances)
        }
    }

    static let instancesPath = "spec.instances"

    /// Every field of a new workload, sorted by path, sensitive values masked: `fieldChanges(from:
    /// [:], to:)` without building a dictionary, and without sorting when the list is in path order
    /// already (a flattened manifest is).
    static func createFields(_ list: (fields: [(path: String, value: FieldValue)], sorted: Bool)) -> [FieldChange] {
        let fields = list.fields
        var changes: [FieldChange] = []
        changes.reserveCapacity(fields.count)
        func add(_ field: (path: String, value: FieldValue)) {
            changes.append(FieldChange(
                path: field.path, before: nil,
                after: SecretMasking.isSensitive(path: field.path) ? SecretMasking.placeholder : field.value))
        }
        if !list.sorted, let order = PathOrder.permutation(fields.lazy.map(\.path)) {
            for i in order { add(fields[i]) }
        } else {
            for field in fields { add(field) }
        }
        return changes
    }

    /// Field-level differences, sorted by path, with sensitive values masked. A sensitive value that
    /// changed still shows as a change (`(sensitive) -> (sensitive)`), never as its value.
    static func fieldChanges(from before: [String: FieldValue], to after: [String: FieldValue]) -> [FieldChange] {
        var changes: [FieldChange] = []
        func add(_ path: String, _ old: FieldValue?, _ new: FieldValue?) {
            let sensitive = SecretMasking.isSensitive(path: path)
            changes.append(FieldChange(
                path: path,
                before: sensitive && old != nil ? SecretMasking.placeholder : old,
                after: sensitive && new != nil ? SecretMasking.placeholder : new))
        }
        for (path, new) in after {
            let old = before[path]
            if old != new { add(path, old, new) }
        }
        for (path, old) in before where after[path] == nil {
            add(path, old, nil)
        }
        changes.sort { String.utf8Precedes($0.path, $1.path) }
        return changes
    }
}
