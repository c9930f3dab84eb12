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
        do {
            let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
            return ControllerRecords(appliedRevision: file.appliedRevision, appliedServices: file.appliedServices,
                                     history: file.history.compactMap(\.record))
        } catch {
            throw ControllerError.corruptState(url.path, "\(error)")
        }
    }

    func save(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = File(appliedRevision: appliedRevision, appliedServices: appliedServices, history: history.map(File.Entry.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(file).write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }

    /// The file's shape (version 1).
    private struct File: Codable {
        var appliedRevision: String?
        var appliedServices: [String]
        var history: [Entry]

        struct Entry: Codable {
            var id: Int
            var revision: String?
            var trigger: String
            var startedAt: Double
            var finishedAt: Double?
            var outcome: String
            var message: String
            var summary: [String: Int]?
            var errors: [String]

            init(_ record: SyncRecord) {
                id = record.id
                revision = record.revision
                trigger = record.trigger.rawValue
                startedAt = record.startedAt.timeIntervalSince1970
                finishedAt = record.finishedAt?.timeIntervalSince1970
                outcome = record.outcome.rawValue
                message = record.message
                errors = record.errors
                summary = record.summary.map {
                    ["create": $0.create, "deploy": $0.deploy, "scale": $0.scale, "update": $0.update, "delete": $0.delete,
                     "decommission": $0.decommission, "recommission": $0.recommission]
                }
            }

            /// Nil for an entry a newer version wrote with an outcome or trigger this one does not know.
            var record: SyncRecord? {
                guard let trigger = SyncRecord.Trigger(rawValue: trigger), let outcome = SyncRecord.Outcome(rawValue: outcome) else {
                    return nil
                }
                let summary = self.summary.map { counts in
                    Plan.Summary(create: counts["create"] ?? 0, deploy: counts["deploy"] ?? 0, scale: counts["scale"] ?? 0,
                                 update: counts["update"] ?? 0, delete: counts["delete"] ?? 0,
                                 decommission: counts["decommission"] ?? 0, recommission: counts["recommission"] ?? 0)
                }
                return SyncRecord(id: id, revision: revision, trigger: trigger, startedAt: Date(timeIntervalSince1970: startedAt),
                                  finishedAt: finishedAt.map(Date.init(timeIntervalSince1970:)), outcome: outcome, message: message,
                                  summary: summary, errors: errors)
            }
        }
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
