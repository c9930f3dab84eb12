import Foundation
import Manifests
import Mesos

/// What a task is, as its Mesos task id and labels carry it: enough to rebuild the scheduler's view from
/// the master alone after a restart.
///
/// Task ids are `<service>.<deploy>.<instance>.<token>`; service names are DNS labels and deploy ids hex
/// (plus `-b<unix>` for bounces), so neither holds a dot. Job runs use the token `<fire unix>-<attempt>-<random>`.
struct TaskIdentity: Sendable, Hashable {
    var slot: SlotID
    var deployID: String
    var kind: WorkloadKind?
    /// Job runs only.
    var fireTime: Date?
    var attempt: Int?

    init(slot: SlotID, deployID: String, kind: WorkloadKind?, fireTime: Date? = nil, attempt: Int? = nil) {
        self.slot = slot
        self.deployID = deployID
        self.kind = kind
        self.fireTime = fireTime
        self.attempt = attempt
    }

    /// A new, unique task id for this identity.
    func makeTaskID() -> String {
        let random = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10)
        var token = String(random)
        if let fireTime, let attempt { token = "\(Int64(fireTime.timeIntervalSince1970.rounded(.down)))-\(attempt)-\(random)" }
        return "\(slot.service).\(deployID).\(slot.instance).\(token)"
    }

    /// Parses a task id made by `makeTaskID`; nil for anything else.
    init?(taskID: String) {
        let parts = taskID.split(separator: ".", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, !parts[0].isEmpty, !parts[1].isEmpty, let instance = Int(parts[2]), instance >= 0 else { return nil }
        self.init(slot: SlotID(service: String(parts[0]), instance: instance), deployID: String(parts[1]), kind: nil)
        let token = parts[3].split(separator: "-")
        if token.count == 3, let fire = Int64(token[0]), let attempt = Int(token[1]) {
            fireTime = Date(timeIntervalSince1970: Double(fire))
            self.attempt = attempt
        }
    }

    /// Reads the labels Converge puts on its tasks (falls back to the task id for what they lack).
    init?(labels: [Label], taskID: String) {
        func value(_ key: String) -> String? { labels.first { $0.key == key }?.value }
        let fromID = TaskIdentity(taskID: taskID)
        guard let service = value(TaskLabels.service) ?? fromID?.slot.service,
              let deployID = value(TaskLabels.deploy) ?? fromID?.deployID,
              let instance = value(TaskLabels.instance).flatMap(Int.init) ?? fromID?.slot.instance else { return nil }
        self.init(slot: SlotID(service: service, instance: instance), deployID: deployID,
                  kind: value(TaskLabels.kind).flatMap(WorkloadKind.init(rawValue:)))
        fireTime = value(TaskLabels.fireTime).flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) ?? fromID?.fireTime
        attempt = value(TaskLabels.attempt).flatMap(Int.init) ?? fromID?.attempt
    }

    /// The labels of a task launched with this identity.
    func labels(commit: String?, requestHash: String?) -> Labels {
        var labels = [
            Label(key: TaskLabels.service, value: slot.service),
            Label(key: TaskLabels.deploy, value: deployID),
            Label(key: TaskLabels.instance, value: String(slot.instance)),
        ]
        if let kind { labels.append(Label(key: TaskLabels.kind, value: kind.rawValue)) }
        if let commit { labels.append(Label(key: TaskLabels.commit, value: commit)) }
        if let requestHash { labels.append(Label(key: TaskLabels.request, value: requestHash)) }
        if let fireTime { labels.append(Label(key: TaskLabels.fireTime, value: String(Int64(fireTime.timeIntervalSince1970.rounded(.down))))) }
        if let attempt { labels.append(Label(key: TaskLabels.attempt, value: String(attempt))) }
        return Labels(labels)
    }
}
