import Reconciler

extension PlanReport {
    /// The stable JSON form documented in docs/plan-format.md, pretty-printed like
    /// `JSONValue.rendered()` (two-space indentation, a trailing newline). The changes are written
    /// straight into bytes, in chunks on all cores: a plan of 10,000 creates is about 30 MB of JSON.
    var json: OutputChunks {
        var output = OutputChunks()
        var head = OutputBytes()
        head.append("{\n  \"base\": ")
        if let base { head.appendJSONString(base) } else { head.append("null") }
        head.append(",\n  \"target\": ")
        head.appendJSONString(target)
        head.append(",\n  \"changes\": ")
        let changes = plan.changes
        if changes.isEmpty {
            head.append("[]")
        } else {
            head.append("[\n")
        }
        output.append(head)
        let last = changes.count - 1
        output.append(contentsOf: Self.renderChunks(changes, bytesPerField: 120) { change, index, out in
            Self.appendJSON(change, to: &out)
            out.append(index == last ? "\n" : ",\n")
        })
        var tail = OutputBytes()
        if !changes.isEmpty { tail.append("  ]") }
        let s = plan.summary
        tail.append(",\n  \"maintenance\": ")
        JSONValue.array(plan.maintenance.map(Self.json)).write(to: &tail, indent: 1)
        tail.append(",\n  \"summary\": ")
        JSONValue.object([
            ("create", .int(s.create)),
            ("deploy", .int(s.deploy)),
            ("scale", .int(s.scale)),
            ("update", .int(s.update)),
            ("delete", .int(s.delete)),
            ("decommission", .int(s.decommission)),
            ("recommission", .int(s.recommission)),
        ]).write(to: &tail, indent: 1)
        tail.append("\n}\n")
        output.append(tail)
        return output
    }

    /// One element of `changes`, at indentation level 2 (the object's own first line unindented
    /// beyond it): what `JSONValue.write(to:indent: 2)` writes for the object form of a change.
    private static func appendJSON(_ change: WorkloadChange, to out: inout OutputBytes) {
        out.append("    {\n      \"name\": ")
        out.appendJSONString(change.name)
        out.append(",\n      \"kind\": ")
        out.appendJSONString(change.kind)
        out.append(",\n      \"action\": ")
        out.appendJSONString(change.action.rawValue)
        out.append(",\n      \"deployId\": {\n        \"before\": ")
        if let id = change.deployIdBefore { out.appendJSONString(id) } else { out.append("null") }
        out.append(",\n        \"after\": ")
        if let id = change.deployIdAfter { out.appendJSONString(id) } else { out.append("null") }
        out.append("\n      },\n      \"instances\": {\n        \"before\": ")
        if let n = change.instancesBefore { out.append(n) } else { out.append("null") }
        out.append(",\n        \"after\": ")
        if let n = change.instancesAfter { out.append(n) } else { out.append("null") }
        out.append("\n      },\n      \"fields\": ")
        if let listing = change.createListing {
            listing.withSortedFields { fields in
                out.append(fields.count == 0 ? "[]" : "[\n")
                for i in 0..<fields.count {
                    out.append("        {\n          \"path\": ")
                    out.appendJSONString(bytes: fields.path(i))
                    out.append(",\n          \"before\": null,\n          \"after\": ")
                    switch fields.value(i) {
                    case .string(let s): out.appendJSONString(bytes: s)
                    case .number(let n):
                        if JSONNumberBytes.isValid(n) { out.append(bytes: n) } else { out.appendJSONString(bytes: n) }
                    case .bool(let b): out.append(b ? "true" : "false")
                    case .masked: out.append("\"(sensitive)\"")
                    }
                    out.append(i == fields.count - 1 ? "\n        }\n" : "\n        },\n")
                }
                if fields.count > 0 { out.append("      ]") }
            }
        } else if change.fields.isEmpty {
            out.append("[]")
        } else {
            out.append("[\n")
            let last = change.fields.count - 1
            for (i, field) in change.fields.enumerated() {
                out.append("        {\n          \"path\": ")
                out.appendJSONString(field.path)
                out.append(",\n          \"before\": ")
                appendJSON(field.before, to: &out)
                out.append(",\n          \"after\": ")
                appendJSON(field.after, to: &out)
                out.append(i == last ? "\n        }\n" : "\n        },\n")
            }
            out.append("      ]")
        }
        out.append("\n    }")
    }

    private static func appendJSON(_ value: FieldValue?, to out: inout OutputBytes) {
        switch value {
        case nil, .null?: out.append("null")
        case .string(let s)?: out.appendJSONString(s)
        case .number(let n)?:
            var n = n
            if n.withUTF8(JSONNumberBytes.isValid) { out.append(n) } else { out.appendJSONString(n) }
        case .bool(let b)?: out.append(b ? "true" : "false")
        }
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
}
