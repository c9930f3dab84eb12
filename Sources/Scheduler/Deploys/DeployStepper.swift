import Foundation

/// Decides the next actions of one service's deploy: launches per instance slot, kills, wait, succeed or fail.
///
/// Rules, in order:
/// 1. Slots: each slot keeps at most one active task of the desired deploy. When a slot has two (a
///    replacement started elsewhere, a task back from a partition), the others are killed once the keeper is
///    healthy and off decommissioning agents; the keeper is the healthy one, off decommissioning agents, most
///    recently launched (so a replacement wins over the task it replaces, or one back from a partition).
/// 2. Scale down: slots beyond `instances` go, tasks on decommissioning agents first, then the highest
///    instance numbers. Scale up: missing slots get the lowest free instance numbers.
/// 3. Deadline (deploys in progress): past `healthyDeadlineSeconds` with unhealthy slots, the deploy fails
///    and its unhealthy tasks are killed; the tasks of older deploys stay. Its healthy tasks carry capacity
///    the old deploy may already have handed over, so they stay until the rollback (the previous deploy,
///    stepped as complete) is healthy again and kills them as surplus. With no previous deploy, the driver
///    kills them with `abandon`.
/// 4. Launches: with no older task to protect (first deploy, steady state) every missing slot launches at
///    once; in a rolling deploy `stepSize` slots launch once the previous step is healthy and
///    `stepWaitSeconds` have passed since. No launches while a backoff holds.
/// 5. Older deploys: their unhealthy tasks carry no capacity and go; healthy ones go only while the healthy
///    total stays at or above `instances` (never below the old deploy's healthy capacity).
public enum DeployStepper {
    public struct Input: Sendable {
        public var service: String
        public var desired: DeploySpec
        /// Every known task of the service, any deploy, any state.
        public var tasks: [TaskRecord]
        /// Agents being decommissioned (their tasks go first when scaling down).
        public var decommissioningAgents: Set<String>
        /// Crash-loop backoff or cooldown: no launches before this time.
        public var launchBlockedUntil: Date?
        public var now: Date

        public init(service: String, desired: DeploySpec, tasks: [TaskRecord], decommissioningAgents: Set<String> = [],
                    launchBlockedUntil: Date? = nil, now: Date) {
            self.service = service
            self.desired = desired
            self.tasks = tasks
            self.decommissioningAgents = decommissioningAgents
            self.launchBlockedUntil = launchBlockedUntil
            self.now = now
        }
    }

    /// Kills every active task of a deploy (a failed first deploy, a deleted service).
    public static func abandon(deployID: String, tasks: [TaskRecord], reason: KillReason) -> [TaskKill] {
        tasks.filter { $0.deployID == deployID && $0.isActive }.map { TaskKill($0, reason) }
    }

    public static func step(_ input: Input) -> DeployStep {
        let desired = input.desired
        let wanted = max(0, desired.instances)
        let active = input.tasks.filter(\.isActive)
        let current = active.filter { $0.deployID == desired.deployID }
        let old = active.filter { $0.deployID != desired.deployID }
        let onDecommissioning = { (task: TaskRecord) in input.decommissioningAgents.contains(task.agentID) }
        var kills: [TaskKill] = []

        // 1. One task per slot.
        var keeperBySlot: [Int: TaskRecord] = [:]
        for (instance, tasks) in Dictionary(grouping: current, by: \.slot.instance) {
            let ordered = tasks.sorted { lhs, rhs in
                if lhs.isHealthy != rhs.isHealthy { return lhs.isHealthy }
                if onDecommissioning(lhs) != onDecommissioning(rhs) { return !onDecommissioning(lhs) }
                if lhs.launchedAt != rhs.launchedAt { return lhs.launchedAt > rhs.launchedAt }
                return lhs.taskID < rhs.taskID
            }
            keeperBySlot[instance] = ordered[0]
            if ordered[0].isHealthy, !onDecommissioning(ordered[0]) {
                kills += ordered.dropFirst().map { TaskKill($0, .duplicateInSlot) }
            }
        }

        // 2. Scale down.
        if keeperBySlot.count > wanted {
            let victims = keeperBySlot.values.sorted { lhs, rhs in
                if onDecommissioning(lhs) != onDecommissioning(rhs) { return onDecommissioning(lhs) }
                return lhs.slot.instance > rhs.slot.instance
            }.prefix(keeperBySlot.count - wanted)
            for victim in victims {
                keeperBySlot[victim.slot.instance] = nil
                let alreadyKilled = Set(kills.map(\.taskID))
                kills += current.filter { $0.slot.instance == victim.slot.instance && !alreadyKilled.contains($0.taskID) }
                    .map { TaskKill($0, .scaleDown) }
            }
        }
        let healthySlots = keeperBySlot.values.filter(\.isHealthy).count

        // 3. Deadline.
        if !desired.isComplete, input.now >= desired.deadline, healthySlots < wanted {
            let reason = "deploy \(desired.deployID) not healthy after \(Int(desired.healthyDeadlineSeconds))s: "
                + "\(healthySlots) of \(wanted) instances healthy"
            let failedKills = current.filter { !$0.isHealthy }.map { TaskKill($0, .deployFailed) }
            return DeployStep(launches: [], kills: failedKills, status: .failed(reason: reason), nextCheckAt: nil)
        }

        // 4. Launches.
        var launches: [SlotID] = []
        var waitUntil: Date?
        let missing = wanted - keeperBySlot.count
        if missing > 0 {
            var allowed = missing
            if !old.isEmpty, !desired.isComplete {
                let inFlight = keeperBySlot.values.filter { !$0.isHealthy }.count
                let lastHealthy = keeperBySlot.values.compactMap(\.healthySince).max()
                let nextStepAt = lastHealthy.map { $0.addingTimeInterval(desired.stepWaitSeconds) } ?? input.now
                if inFlight > 0 {
                    allowed = 0
                } else if input.now < nextStepAt {
                    allowed = 0
                    waitUntil = nextStepAt
                } else {
                    allowed = min(missing, max(1, desired.stepSize))
                }
            }
            if allowed > 0, let blocked = input.launchBlockedUntil, input.now < blocked {
                allowed = 0
                waitUntil = max(waitUntil ?? blocked, blocked)
            }
            var instance = 0
            while launches.count < allowed {
                if keeperBySlot[instance] == nil { launches.append(SlotID(service: input.service, instance: instance)) }
                instance += 1
            }
        }

        // 5. Older deploys.
        let oldHealthy = old.filter(\.isHealthy)
        kills += old.filter { !$0.isHealthy }.map { TaskKill($0, .unhealthyOldDeploy) }
        let surplus = max(0, healthySlots + oldHealthy.count - wanted)
        let covered = Set(keeperBySlot.values.filter(\.isHealthy).map(\.slot.instance))
        let oldOrdered = oldHealthy.sorted { lhs, rhs in
            let lhsCovered = covered.contains(lhs.slot.instance), rhsCovered = covered.contains(rhs.slot.instance)
            if lhsCovered != rhsCovered { return lhsCovered }
            if onDecommissioning(lhs) != onDecommissioning(rhs) { return onDecommissioning(lhs) }
            if lhs.slot.instance != rhs.slot.instance { return lhs.slot.instance > rhs.slot.instance }
            return lhs.taskID < rhs.taskID
        }
        kills += oldOrdered.prefix(surplus).map { TaskKill($0, .replacedByDeploy) }

        // 6. Status.
        let status: DeployStatus
        var nextCheckAt: Date? = desired.isComplete ? nil : desired.deadline
        if healthySlots >= wanted, old.isEmpty, launches.isEmpty, kills.isEmpty {
            status = .succeeded
            nextCheckAt = nil
        } else if let waitUntil, launches.isEmpty {
            status = .waiting(until: waitUntil, healthy: healthySlots, desired: wanted)
            nextCheckAt = min(nextCheckAt ?? waitUntil, waitUntil)
        } else {
            status = .inProgress(healthy: healthySlots, desired: wanted)
        }
        return DeployStep(launches: launches, kills: kills, status: status, nextCheckAt: nextCheckAt)
    }
}
