import Foundation
import Scheduler

/// `GET /api/v1/actual`: what runs, as the planner's `ClusterView`, so `converge plan --server URL`
/// can plan a git ref against a running controller. Sensitive field values are masked.
///
/// Each workload is the one the scheduler core was last handed: its deploy id and request hash as
/// git produced them and its instance count from git (overrides are drift, not part of the view).
public struct ActualDocument: Sendable {
    /// The revision the core works toward.
    public var revision: String?
    public var view: ClusterView

    public init(revision: String?, view: ClusterView) {
        self.revision = revision
        self.view = view
    }

    public static func json(_ state: ControllerState) -> APIJSON {
        let services = state.core.services.values.sorted { $0.name < $1.name }
        let agents = state.core.agents.values
            .filter { $0.state == .decommissioned || $0.state == .decommissioning }
            .map(\.hostname).sorted()
        return .object([
            ("revision", .optional(state.core.revision)),
            ("workloads", .array(services.map { service in
                let view = WorkloadState(service.workload)
                let fields = view.fieldList
                    .map { ($0.path, SecretMasking.masked($0.value, path: $0.path)) }
                    .sorted { String.utf8Precedes($0.0, $1.0) }
                return .object([
                    ("name", .string(view.name)),
                    ("kind", .string(view.kind)),
                    ("deployId", .string(view.deployId)),
                    ("requestHash", .string(view.requestHash)),
                    ("instances", .int(view.instances)),
                    ("fields", .object(fields.map { ($0.0, APIJSON.field($0.1)) })),
                ])
            })),
            ("maintenance", .array(state.maintenance.sorted().map(MaintenanceSelectorJSON.json))),
            ("decommissionedAgents", .array(agents.map(APIJSON.string))),
        ])
    }

    /// Reads the JSON form back (JSONSerialization: a 10,000-service answer parses in well under a second).
    public static func parse(_ data: Data) throws -> ActualDocument {
        func fail(_ why: String) -> ActualDocumentError { ActualDocumentError(message: "unexpected /api/v1/actual answer: \(why)") }
        guard let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw fail("not a JSON object") }
        let revision = top["revision"] as? String
        guard let entries = top["workloads"] as? [[String: Any]] else { throw fail("no workloads list") }
        var workloads: [WorkloadState] = []
        workloads.reserveCapacity(entries.count)
        for entry in entries {
            guard let name = entry["name"] as? String, let kind = entry["kind"] as? String,
                  let deployId = entry["deployId"] as? String, let requestHash = entry["requestHash"] as? String,
                  let instances = (entry["instances"] as? NSNumber)?.intValue, let raw = entry["fields"] as? [String: Any]
            else { throw fail("a workload lacks name, kind, deployId, requestHash, instances or fields") }
            var fields: [String: FieldValue] = [:]
            fields.reserveCapacity(raw.count)
            for (path, value) in raw {
                guard let field = fieldValue(value) else { throw fail("\(name): field \(path) is not a string, number, boolean or null") }
                fields[path] = field
            }
            workloads.append(WorkloadState(name: name, kind: kind, deployId: deployId, requestHash: requestHash,
                                           instances: instances, fields: fields))
        }
        var selectors: Set<MaintenanceSelector> = []
        for selector in top["maintenance"] as? [[String: Any]] ?? [] {
            switch (selector["hostname"] as? String, selector["attributes"] as? [String: String]) {
            case (let host?, nil): selectors.insert(.hostname(host))
            case (nil, let attributes?) where !attributes.isEmpty: selectors.insert(.attributes(attributes))
            default: throw fail("a maintenance selector needs exactly one of hostname or attributes")
            }
        }
        let agents = top["decommissionedAgents"] as? [String] ?? []
        return ActualDocument(revision: revision, view: ClusterView(workloads: workloads, maintenance: selectors, decommissionedAgents: agents))
    }

    /// A JSON leaf as a field value; booleans are told from numbers by their Objective-C type.
    static func fieldValue(_ value: Any) -> FieldValue? {
        switch value {
        case is NSNull: return .null
        case let string as String: return .string(string)
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": return .bool(number.boolValue)
            case "d", "f": return .number(number.doubleValue.description)
            default: return .number(number.stringValue)
            }
        default: return nil
        }
    }
}

public struct ActualDocumentError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension ClusterView {
    /// Fills sensitive values masked by the server with the desired side's values where the workload's
    /// hashes differ, so a plan shows no `(sensitive)` change for a secret it cannot see. A changed
    /// secret still shows as a deploy through the deploy id.
    public func unmaskingSensitiveFields(from desired: ClusterView) -> ClusterView {
        var result = self
        for (name, actual) in workloads {
            guard let wanted = desired.workloads[name],
                  wanted.deployId != actual.deployId || wanted.requestHash != actual.requestHash
            else { continue }
            let masked = actual.fields.filter { $0.value == SecretMasking.placeholder && SecretMasking.isSensitive(path: $0.key) }
            guard !masked.isEmpty else { continue }
            let wantedFields = wanted.fields
            var fields = actual.fields
            for path in masked.keys {
                if let value = wantedFields[path] { fields[path] = value }
            }
            result.workloads[name]?.fields = fields
        }
        return result
    }
}
