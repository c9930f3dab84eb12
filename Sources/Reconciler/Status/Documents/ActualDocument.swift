import Foundation
import Scheduler

/// `GET /api/v1/actual`: what runs, as the planner's `ClusterView`, so `converge plan --server URL`
/// can plan a git ref against a running controller. Sensitive field values are masked.
///
/// Each workload is the one the scheduler core was last handed: its deploy id and request hash as
/// git produced them and its instance count from git (overrides are drift, not part of the view).
public struct ActualDocument: Decodable, Sendable {
    public struct Workload: Decodable, Sendable {
        public var name: String
        public var kind: String
        public var deployId: String
        public var requestHash: String
        public var instances: Int
        public var fields: [String: WireFieldValue]
    }

    public struct Selector: Decodable, Sendable {
        public var hostname: String?
        public var attributes: [String: String]?
    }

    /// The revision the core works toward.
    public var revision: String?
    public var workloads: [Workload]
    public var maintenance: [Selector]
    public var decommissionedAgents: [String]

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

    /// The planner's view of it; throws on a selector that is neither a hostname nor attributes.
    public func clusterView() throws -> ClusterView {
        let selectors = try maintenance.map { selector -> MaintenanceSelector in
            switch (selector.hostname, selector.attributes) {
            case (let host?, nil): return .hostname(host)
            case (nil, let attributes?) where !attributes.isEmpty: return .attributes(attributes)
            default: throw ActualDocumentError(message: "a maintenance selector needs exactly one of hostname or attributes")
            }
        }
        return ClusterView(
            workloads: workloads.map {
                WorkloadState(name: $0.name, kind: $0.kind, deployId: $0.deployId, requestHash: $0.requestHash,
                              instances: $0.instances, fields: $0.fields.mapValues(\.value))
            },
            maintenance: Set(selectors), decommissionedAgents: decommissionedAgents)
    }
}

public struct ActualDocumentError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A field value as JSON carries it: string, number, boolean or null.
public struct WireFieldValue: Decodable, Sendable {
    public var value: FieldValue

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let bool = try? container.decode(Bool.self) {
            value = .bool(bool)
        } else if let string = try? container.decode(String.self) {
            value = .string(string)
        } else {
            value = .number(try container.decode(Decimal.self).description)
        }
    }
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
