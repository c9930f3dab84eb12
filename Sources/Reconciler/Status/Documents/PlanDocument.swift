/// `GET /api/v1/plan`: the current diff in the shape of `converge plan --format json`
/// (docs/plan-format.md): `base` is the revision the core runs, `target` the applied revision.
/// Sensitive values are already masked in the plan's fields.
public enum PlanDocument {
    public static func json(plan: Plan, base: String?, target: String?) -> APIJSON {
        let s = plan.summary
        return .object([
            ("base", .optional(base)),
            ("target", .optional(target)),
            ("changes", .array(plan.changes.map(json))),
            ("maintenance", .array(plan.maintenance.map(json))),
            ("summary", .object([
                ("create", .int(s.create)),
                ("deploy", .int(s.deploy)),
                ("scale", .int(s.scale)),
                ("update", .int(s.update)),
                ("delete", .int(s.delete)),
                ("decommission", .int(s.decommission)),
                ("recommission", .int(s.recommission)),
            ])),
        ])
    }

    private static func json(_ change: WorkloadChange) -> APIJSON {
        .object([
            ("name", .string(change.name)),
            ("kind", .string(change.kind)),
            ("action", .string(change.action.rawValue)),
            ("deployId", .object([("before", .optional(change.deployIdBefore)), ("after", .optional(change.deployIdAfter))])),
            ("instances", .object([("before", .optional(change.instancesBefore)), ("after", .optional(change.instancesAfter))])),
            ("fields", .array(change.fields.map { field in
                .object([("path", .string(field.path)), ("before", .field(field.before)), ("after", .field(field.after))])
            })),
        ])
    }

    private static func json(_ change: MaintenanceChange) -> APIJSON {
        .object([("action", .string(change.action.rawValue)), ("selector", MaintenanceSelectorJSON.json(change.selector))])
    }
}

/// `{"hostname": "..."}` or `{"attributes": {...}}`, as in the plan format.
enum MaintenanceSelectorJSON {
    static func json(_ selector: MaintenanceSelector) -> APIJSON {
        switch selector {
        case .hostname(let host):
            .object([("hostname", .string(host))])
        case .attributes(let attributes):
            .object([("attributes", .object(attributes.sorted { $0.key < $1.key }.map { ($0.key, APIJSON.string($0.value)) }))])
        }
    }
}
