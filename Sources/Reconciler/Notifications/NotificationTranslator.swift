import Foundation
import Scheduler

/// Turns what the controller and the scheduler core report (sync records, core changes) into
/// notification events. A value: it remembers only what it needs to report each event once
/// (deploys seen, their revisions, tasks already reported ended).
public struct NotificationTranslator: Sendable {
    /// Last outcome and canary phase seen per service and deploy.
    private var deploys: [String: (outcome: DeployHistoryEntry.Outcome, phase: CanaryPhase?, revision: String?)] = [:]
    private var endedTasks: Set<String> = []
    private var endedOrder: [String] = []
    static let endedTasksRemembered = 10_000

    public init() {}

    /// A sync: applied (synced, progressing) or rejected; other outcomes are not notified.
    public static func events(for record: SyncRecord, now: Date) -> [NotificationEvent] {
        let revision = record.revision.map(short) ?? "(unknown)"
        switch record.outcome {
        case .synced, .progressing:
            return [NotificationEvent(
                kind: .syncApplied, service: nil, deployId: nil, revision: record.revision, time: now,
                text: "Converge applied revision \(revision): \(record.message)",
                details: [("syncId", .int(record.id)), ("trigger", .string(record.trigger.rawValue)), ("outcome", .string(record.outcome.rawValue))])]
        case .rejected:
            return [NotificationEvent(
                kind: .revisionRejected, service: nil, deployId: nil, revision: record.revision, time: now,
                text: "Converge rejected revision \(revision): \(record.message)",
                details: [("syncId", .int(record.id)), ("errors", .array(record.errors.prefix(20).map(APIJSON.string)))])]
        case .failed, .refused, .degraded:
            return []
        }
    }

    public mutating func events(for change: CoreChange, now: Date) -> [NotificationEvent] {
        switch change {
        case .deploy(let entry): deployEvents(entry, now: now)
        case .task(let task): taskEvents(task, now: now)
        case .connection, .agent, .reconciled: []
        }
    }

    mutating func deployEvents(_ entry: DeployHistoryEntry, now: Date) -> [NotificationEvent] {
        let key = "\(entry.service)|\(entry.deployID)"
        let before = deploys[key]
        deploys[key] = (entry.outcome, entry.canary?.phase, entry.revision)
        let service = entry.service
        let deploy = entry.deployID
        func event(_ kind: NotificationEvent.Kind, _ text: String, _ details: [(String, APIJSON)] = []) -> NotificationEvent {
            NotificationEvent(kind: kind, service: service, deployId: deploy, revision: entry.revision, time: now, text: text,
                              details: details + [("canary", .optional(entry.canary?.phase.rawValue))])
        }
        var events: [NotificationEvent] = []
        let revision = entry.revision.map { " (revision \(short($0)))" } ?? ""
        if before == nil, entry.outcome == .inProgress {
            let canary = entry.canary.map { _ in ", canary first" } ?? ""
            events.append(event(.deployStarted, "\(service): deploy \(deploy) started\(revision)\(canary)"))
        }
        if entry.canary?.phase == .waitingForPromotion, before?.phase != .waitingForPromotion {
            events.append(event(.canaryWaiting, "\(service): the canary of deploy \(deploy) held healthy; waiting for "
                                + "`converge promote \(service)` or `converge abort \(service)`"))
        }
        if before?.outcome != entry.outcome {
            switch entry.outcome {
            case .succeeded where before != nil:
                events.append(event(.deploySucceeded, "\(service): deploy \(deploy) succeeded\(revision)"))
            case .failed:
                let reason = entry.reason ?? "deploy failed"
                events.append(event(.deployFailed, "\(service): deploy \(deploy) failed: \(reason)", [("reason", .string(reason))]))
            default:
                break
            }
        }
        return events
    }

    mutating func taskEvents(_ task: TaskRecord, now: Date) -> [NotificationEvent] {
        guard task.state.isTerminal || task.state == .unreachable, task.killRequestedAt == nil,
              !endedTasks.contains(task.taskID) else { return [] }
        let kind: NotificationEvent.Kind
        let host = task.hostname.isEmpty ? task.agentID : task.hostname
        var text: String
        if task.lastReason == "REASON_CONTAINER_LIMITATION_MEMORY" {
            kind = .taskOOMKilled
            text = "\(task.slot.service): task \(task.taskID) was OOM-killed on \(host) (memory limit)"
        } else if [.lost, .gone, .unreachable, .goneByOperator].contains(task.state) {
            kind = .taskLost
            text = "\(task.slot.service): task \(task.taskID) lost with its agent \(host)"
        } else if task.state == .failed || task.state == .error {
            kind = .taskFailed
            text = "\(task.slot.service): task \(task.taskID) failed on \(host)"
        } else {
            return []
        }
        if let message = task.lastMessage, kind != .taskLost || !message.isEmpty { text += ": \(message)" }
        remember(task.taskID)
        let revision = deploys["\(task.slot.service)|\(task.deployID)"]?.revision ?? nil
        return [NotificationEvent(
            kind: kind, service: task.slot.service, deployId: task.deployID, revision: revision, time: now, text: text,
            details: [("taskId", .string(task.taskID)), ("instance", .int(task.slot.instance)), ("agentId", .string(task.agentID)),
                      ("host", .string(task.hostname)), ("state", .string(task.state.rawValue)),
                      ("message", .optional(task.lastMessage)), ("reason", .optional(task.lastReason))])]
    }

    private mutating func remember(_ taskID: String) {
        endedTasks.insert(taskID)
        endedOrder.append(taskID)
        if endedOrder.count > Self.endedTasksRemembered {
            endedTasks.remove(endedOrder.removeFirst())
        }
    }
}
