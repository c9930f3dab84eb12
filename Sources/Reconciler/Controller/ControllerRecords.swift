import Foundation

/// What the controller keeps across restarts in its state directory (`controller.json`, written
/// atomically): the last good revision with its service names, and the sync history.
struct ControllerRecords: Sendable {
    var appliedRevision: String?
    /// The services the last good revision handed to the core: a restart's prune guard counts them.
    var appliedServices: [String] = []
    var history: [SyncRecord] = []

    static let fileName = "controller.json"

    static func load(from directory: URL) throws -> ControllerRecords {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return ControllerRecords() }
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ControllerError.corruptState(url.path, "not a JSON object")
        }
        var records = ControllerRecords()
        records.appliedRevision = object["appliedRevision"] as? String
        records.appliedServices = object["appliedServices"] as? [String] ?? []
        records.history = (object["history"] as? [[String: Any]] ?? []).compactMap(SyncRecord.init(json:))
        return records
    }

    func save(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var object: [String: Any] = ["appliedServices": appliedServices, "history": history.map(\.json)]
        if let appliedRevision { object["appliedRevision"] = appliedRevision }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try data.write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }
}

extension SyncRecord {
    var json: [String: Any] {
        var object: [String: Any] = [
            "id": id, "trigger": trigger.rawValue, "startedAt": startedAt.timeIntervalSince1970,
            "outcome": outcome.rawValue, "message": message, "errors": errors,
        ]
        if let revision { object["revision"] = revision }
        if let finishedAt { object["finishedAt"] = finishedAt.timeIntervalSince1970 }
        if let summary {
            object["summary"] = [
                "create": summary.create, "deploy": summary.deploy, "scale": summary.scale, "update": summary.update,
                "delete": summary.delete, "decommission": summary.decommission, "recommission": summary.recommission,
            ]
        }
        return object
    }

    init?(json object: [String: Any]) {
        guard let id = object["id"] as? Int, let trigger = (object["trigger"] as? String).flatMap(Trigger.init(rawValue:)),
              let started = object["startedAt"] as? Double,
              let outcome = (object["outcome"] as? String).flatMap(Outcome.init(rawValue:)) else { return nil }
        var summary: Plan.Summary?
        if let counts = object["summary"] as? [String: Int] {
            summary = Plan.Summary(create: counts["create"] ?? 0, deploy: counts["deploy"] ?? 0, scale: counts["scale"] ?? 0,
                                   update: counts["update"] ?? 0, delete: counts["delete"] ?? 0,
                                   decommission: counts["decommission"] ?? 0, recommission: counts["recommission"] ?? 0)
        }
        self.init(id: id, revision: object["revision"] as? String, trigger: trigger, startedAt: Date(timeIntervalSince1970: started),
                  finishedAt: (object["finishedAt"] as? Double).map(Date.init(timeIntervalSince1970:)), outcome: outcome,
                  message: object["message"] as? String ?? "", summary: summary, errors: object["errors"] as? [String] ?? [])
    }
}

/// Errors of the controller itself (the source's and the core's have their own).
public enum ControllerError: Error, CustomStringConvertible {
    case corruptState(String, String)
    case unknownService(String)

    public var description: String {
        switch self {
        case .corruptState(let path, let why): "state file \(path) is unreadable: \(why)"
        case .unknownService(let name): "no service named '\(name)'"
        }
    }
}
