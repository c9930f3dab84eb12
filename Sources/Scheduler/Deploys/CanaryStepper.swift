import Foundation
import Manifests

/// Where a canary deploy stands. Persisted with the deploy (state store), so a restarted controller
/// resumes the hold or the wait for promotion.
public enum CanaryPhase: String, Sendable, Hashable, CaseIterable {
    /// The canaries are launched beside every old instance; waiting until they are healthy.
    case starting
    /// Every canary is healthy; watching them for `holdSeconds`.
    case holding
    /// The hold passed; waiting for `converge promote` or `converge abort`.
    case waitingForPromotion
    /// Promoted (by hand or `autoPromote`): the rolling steps go on, the canaries count as new instances.
    case promoted
    /// Aborted (by hand or a failing canary): the canaries are killed, the old deploy keeps running.
    case aborted
}

/// A deploy's canary phase with the times it depends on.
public struct CanaryState: Sendable, Hashable {
    public var phase: CanaryPhase
    /// When every canary first counted healthy: the hold runs from here.
    public var holdStartedAt: Date?
    /// When the deploy was promoted or aborted (the rolling steps' healthy deadline runs from a promotion).
    public var decidedAt: Date?

    public init(phase: CanaryPhase, holdStartedAt: Date? = nil, decidedAt: Date? = nil) {
        self.phase = phase
        self.holdStartedAt = holdStartedAt
        self.decidedAt = decidedAt
    }

    /// Before a decision: canaries run beside the old deploy, which keeps its full count.
    public var isUndecided: Bool { phase == .starting || phase == .holding || phase == .waitingForPromotion }
}

/// Decides the canary phase of one deploy: which canaries to launch or kill, and the next phase.
///
/// The old deploy is not touched here: the driver keeps stepping it as a complete deploy (over every
/// task but the canaries) until the canary is promoted, so capacity is added, never taken.
///
/// Rules, in order (first match wins):
/// 1. Decided: promoted changes nothing (the rolling stepper takes over); aborted kills every canary left.
/// 2. Paused (the service wants no instance): the canaries go and the canary starts over when
///    instances are wanted again (within the deploy's healthy deadline).
/// 3. Failure watch: a canary that ended without being asked (crash, OOM kill, lost with its agent)
///    aborts the deploy; so does one that turns unhealthy after the canaries were healthy (holding,
///    waiting for promotion).
/// 4. Slots: canaries run in instance slots 0..<n (n = `instances`, at most the service's instances);
///    a second task in a slot or a task beyond n is killed.
/// 5. Starting: missing canaries launch (unless a backoff holds); once all n are healthy the hold starts
///    at the latest one's healthy time. Past `healthyDeadlineSeconds` with a canary unhealthy: abort.
/// 6. Holding: after `holdSeconds` the deploy is promoted (`autoPromote`) or waits for promotion.
/// 7. Waiting for promotion: nothing changes until `promote` or `abort` comes from outside.
public enum CanaryStepper {
    public struct Input: Sendable {
        public var service: String
        public var deployID: String
        public var settings: CanarySettings
        /// The service's instances (after overrides): the canary count never exceeds it.
        public var desiredInstances: Int
        public var healthyDeadlineSeconds: Double
        /// The deploy's start: the canaries' healthy deadline runs from here.
        public var startedAt: Date
        public var state: CanaryState
        /// Every known task of the deploy (canaries), any state.
        public var tasks: [TaskRecord]
        public var launchBlockedUntil: Date?
        public var now: Date

        public init(service: String, deployID: String, settings: CanarySettings, desiredInstances: Int, healthyDeadlineSeconds: Double,
                    startedAt: Date, state: CanaryState, tasks: [TaskRecord], launchBlockedUntil: Date? = nil, now: Date) {
            self.service = service
            self.deployID = deployID
            self.settings = settings
            self.desiredInstances = desiredInstances
            self.healthyDeadlineSeconds = healthyDeadlineSeconds
            self.startedAt = startedAt
            self.state = state
            self.tasks = tasks
            self.launchBlockedUntil = launchBlockedUntil
            self.now = now
        }
    }

    public struct Step: Sendable, Hashable {
        public var launches: [SlotID] = []
        public var kills: [TaskKill] = []
        public var state: CanaryState
        /// Set when this step aborts the deploy.
        public var abortReason: String?
        /// Canaries wanted and healthy now.
        public var canaries: Int
        public var healthy: Int
        public var nextCheckAt: Date?

        /// When the hold ends (holding only).
        public var holdEndsAt: Date?
    }

    /// Canaries a deploy runs: `instances`, at most the service's instances, at least 1.
    public static func count(_ settings: CanarySettings, desiredInstances: Int) -> Int {
        max(1, min(settings.instances, desiredInstances))
    }

    public static func step(_ input: Input) -> Step {
        let wanted = count(input.settings, desiredInstances: input.desiredInstances)
        let mine = input.tasks.filter { $0.deployID == input.deployID }
        let active = mine.filter(\.isActive)
        let hold = Double(max(0, input.settings.holdSeconds))
        var step = Step(state: input.state, canaries: wanted, healthy: active.filter(\.isHealthy).count)

        // 1. Decided.
        switch input.state.phase {
        case .promoted:
            return step
        case .aborted:
            step.kills = active.map { TaskKill($0, .canaryAborted) }
            return step
        case .starting, .holding, .waitingForPromotion:
            break
        }

        // 2. Paused.
        if input.desiredInstances <= 0 {
            step.kills = active.map { TaskKill($0, .scaleDown) }
            step.state = CanaryState(phase: .starting)
            step.canaries = 0
            return step
        }

        // 3. Failure watch.
        if let reason = failure(in: mine, phase: input.state.phase) {
            return abort(step, reason: reason, active: active, now: input.now)
        }

        // 4. Slots.
        var keeper: [Int: TaskRecord] = [:]
        for (instance, tasks) in Dictionary(grouping: active, by: \.slot.instance) {
            let ordered = tasks.sorted { lhs, rhs in
                if lhs.isHealthy != rhs.isHealthy { return lhs.isHealthy }
                if lhs.launchedAt != rhs.launchedAt { return lhs.launchedAt > rhs.launchedAt }
                return lhs.taskID < rhs.taskID
            }
            if instance < wanted {
                keeper[instance] = ordered[0]
                step.kills += ordered.dropFirst().map { TaskKill($0, .duplicateInSlot) }
            } else {
                step.kills += ordered.map { TaskKill($0, .scaleDown) }
            }
        }
        let healthyKeepers = keeper.values.filter(\.isHealthy)
        step.healthy = healthyKeepers.count

        switch input.state.phase {
        case .starting:
            // 5. Starting.
            if healthyKeepers.count >= wanted {
                let start = healthyKeepers.compactMap(\.healthySince).max() ?? input.now
                step.state = CanaryState(phase: .holding, holdStartedAt: start)
                return holding(step, hold: hold, autoPromote: input.settings.autoPromote, now: input.now)
            }
            let deadline = input.startedAt.addingTimeInterval(input.healthyDeadlineSeconds)
            if input.now >= deadline {
                let reason = "canary not healthy after \(Int(input.healthyDeadlineSeconds))s: \(healthyKeepers.count) of \(wanted) healthy"
                return abort(step, reason: reason, active: active, now: input.now)
            }
            step.nextCheckAt = deadline
            if let blocked = input.launchBlockedUntil, input.now < blocked {
                step.nextCheckAt = min(deadline, blocked)
            } else {
                step.launches = (0..<wanted).filter { keeper[$0] == nil }.map { SlotID(service: input.service, instance: $0) }
            }
            return step
        case .holding:
            // 6. Holding.
            return holding(step, hold: hold, autoPromote: input.settings.autoPromote, now: input.now)
        default:
            // 7. Waiting for promotion.
            return step
        }
    }

    private static func holding(_ step: Step, hold: Double, autoPromote: Bool, now: Date) -> Step {
        var step = step
        let ends = (step.state.holdStartedAt ?? now).addingTimeInterval(hold)
        if now < ends {
            step.holdEndsAt = ends
            step.nextCheckAt = ends
        } else if autoPromote {
            step.state = CanaryState(phase: .promoted, holdStartedAt: step.state.holdStartedAt, decidedAt: now)
        } else {
            step.state = CanaryState(phase: .waitingForPromotion, holdStartedAt: step.state.holdStartedAt)
        }
        return step
    }

    private static func abort(_ step: Step, reason: String, active: [TaskRecord], now: Date) -> Step {
        var step = step
        step.launches = []
        step.kills = active.map { TaskKill($0, .canaryAborted) }
        step.state = CanaryState(phase: .aborted, holdStartedAt: step.state.holdStartedAt, decidedAt: now)
        step.abortReason = reason
        step.nextCheckAt = nil
        step.holdEndsAt = nil
        return step
    }

    /// The first canary that failed: ended without a kill, or unhealthy after the canaries were healthy.
    static func failure(in tasks: [TaskRecord], phase: CanaryPhase) -> String? {
        let ordered = tasks.sorted { ($0.slot.instance, $0.taskID) < ($1.slot.instance, $1.taskID) }
        for task in ordered where TaskLifecycle.endedUnexpectedly(task) {
            if task.lastReason == "REASON_CONTAINER_LIMITATION_MEMORY" {
                return "canary \(task.taskID) was OOM-killed (memory limit)"
            }
            let message = task.lastMessage.map { ": \($0)" } ?? ""
            return "canary \(task.taskID) ended \(task.state.rawValue)\(message)"
        }
        guard phase != .starting else { return nil }
        for task in ordered where task.isActive && !task.isHealthy {
            let message = task.lastMessage.map { ": \($0)" } ?? ""
            return "canary \(task.taskID) failed its health check\(message)"
        }
        return nil
    }
}
