import Reconciler

extension PlanReport {
    /// The stable JSON form documented in docs/plan-format.md.
    var json: JSONValue {
        let s = plan.summary
        return .object([
            ("base", base.map(JSONValue.string) ?? .null),
            ("target", .string(target)),
            ("changes", .array(plan.changes.map(Self.json))),
            ("maintenance", .array(plan.maintenance.map(Self.json))),
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

    private static func json(_ change: WorkloadChange) -> JSONValue {
        .object([
            ("name", .string(change.name)),
            ("kind", .string(change.kind)),
            ("action", .string(change.action.rawValue)),
            ("deployId", .object([
                ("before", change.deployIdBefore.map(JSONValue.string) ?? .null),
                ("after", change.deployIdAfter.map(JSONValue.string) ?? .null),
            ])),
            ("instances", .object([
                ("before", change.instancesBefore.map(JSONValue.int) ?? .null),
                ("after", change.instancesAfter.map(JSONValue.int) ?? .null),
            ])),
            ("fields", .array(change.fields.map { field in
                .object([
                    ("path", .string(field.path)),
                    ("before", json(field.before)),
                    ("after", json(field.after)),
                ])
            })),
        ])
    }

    private static func json(_ change: MaintenanceChange) -> JSONValue {
        let selector: JSONValue
        switch change.selector {
        case .hostname(let host):
            selector = .object([("hostname", .string(host))])
        case .attributes(let attributes):
            selector = .object([("attributes", .object(
                attributes.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))])
        }
        return .object([("action", .string(change.action.rawValue)), ("selector", selector)])
    }

    private static func json(_ value: FieldValue?) -> JSONValue {
        switch value {
        case nil, .null?: return .null
        case .string(let s)?: return .string(s)
        case .number(let n)?: return JSONNumberSyntax.isValid(n) ? .rawNumber(n) : .string(n)
        case .bool(let b)?: return .bool(b)
        }
    }
}
