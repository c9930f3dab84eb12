import Foundation
@testable import Scheduler

let t0 = Date(timeIntervalSince1970: 1_700_000_000)

func record(
    _ instance: Int, _ deploy: String, healthy: Bool = true, state: TaskState = .running, agent: String? = nil,
    launched: Double = 0, healthyAt: Double? = nil, id: String? = nil, service: String = "web"
) -> TaskRecord {
    TaskRecord(
        taskID: id ?? "\(service)-\(deploy)-\(instance)", slot: SlotID(service: service, instance: instance), deployID: deploy,
        agentID: agent ?? "agent-\(instance)", hostname: "\(agent ?? "agent-\(instance)").example", state: state,
        healthReported: healthy, hasHealthCheck: true, launchedAt: t0.addingTimeInterval(launched),
        runningSince: state == .running ? t0.addingTimeInterval(launched) : nil,
        healthySince: healthy && state == .running ? t0.addingTimeInterval(healthyAt ?? launched) : nil
    )
}

func spec(_ deploy: String, instances: Int, step: Int = 1, wait: Double = 0, deadline: Double = 120, started: Double = 0,
          complete: Bool = false) -> DeploySpec {
    DeploySpec(deployID: deploy, instances: instances, stepSize: step, stepWaitSeconds: wait, healthyDeadlineSeconds: deadline,
               startedAt: t0.addingTimeInterval(started), isComplete: complete)
}

func stepAt(_ now: Double, _ desired: DeploySpec, _ tasks: [TaskRecord], decommissioning: Set<String> = [],
            blockedUntil: Double? = nil) -> DeployStep {
    DeployStepper.step(.init(service: "web", desired: desired, tasks: tasks, decommissioningAgents: decommissioning,
                             launchBlockedUntil: blockedUntil.map { t0.addingTimeInterval($0) }, now: t0.addingTimeInterval(now)))
}

extension DeployStep {
    var launchedInstances: [Int] { launches.map(\.instance) }
    func killed(_ reason: KillReason) -> [String] { kills.filter { $0.reason == reason }.map(\.taskID).sorted() }
}
