import Foundation

/// Moves tasks off agents that Maintenance documents (or Mesos inverse offers) take out, without losing
/// healthy capacity, and keeps those agents empty.
///
/// Rules:
/// 1. Agents matching a selector start decommissioning in agent id order while fewer than `maxConcurrent`
///    are decommissioning; the rest wait (still active).
/// 2. On a decommissioning agent, each active task of a long-running service's current deploy gets a
///    replacement in its slot elsewhere, unless the slot already has another active task of that deploy.
///    The old task is killed by the deploy stepper's slot rule once the replacement is healthy.
/// 3. Tasks of other kinds (job runs) and of older deploys are not replaced: runs finish, rolling deploys
///    replace old tasks anyway.
/// 4. A decommissioning agent with no active task left is decommissioned; it stays so while it matches.
/// 5. An agent no selector matches any more goes back to active.
public enum DecommissionPlanner {
    public struct Input: Sendable {
        public var agents: [AgentRecord]
        public var selectors: [DecommissionSelector]
        /// Agents the master announced as going away (inverse offers, `unavailability`): treated as matching.
        public var drainingAgentIDs: Set<String>
        /// Every known task (any state; only active ones count).
        public var tasks: [TaskRecord]
        /// The desired deploy of each long-running service; tasks of other services are not replaced.
        public var currentDeploys: [String: String]
        public var maxConcurrent: Int

        public init(agents: [AgentRecord], selectors: [DecommissionSelector], drainingAgentIDs: Set<String> = [],
                    tasks: [TaskRecord], currentDeploys: [String: String], maxConcurrent: Int = 1) {
            self.agents = agents
            self.selectors = selectors
            self.drainingAgentIDs = drainingAgentIDs
            self.tasks = tasks
            self.currentDeploys = currentDeploys
            self.maxConcurrent = maxConcurrent
        }
    }

    /// A replacement to launch: the slot of `replacing`, in the same deploy, placed elsewhere.
    public struct Replacement: Sendable, Hashable {
        public var slot: SlotID
        public var deployID: String
        public var replacingTaskID: String
    }

    public struct Plan: Sendable, Hashable {
        /// The state every agent should be in now (only agents whose state changes).
        public var agentStates: [String: AgentState] = [:]
        public var replacements: [Replacement] = []
        /// Matching agents held back by `maxConcurrent`.
        public var waiting: [String] = []
        /// Decommissioning agents and their active tasks left, for progress reports.
        public var remainingTasks: [String: Int] = [:]
    }

    public static func plan(_ input: Input) -> Plan {
        var plan = Plan()
        let activeTasks = input.tasks.filter(\.isActive)
        let tasksByAgent = Dictionary(grouping: activeTasks, by: \.agentID)
        let matches = { (agent: AgentRecord) in
            input.drainingAgentIDs.contains(agent.id)
                || input.selectors.contains { $0.matches(hostname: agent.hostname, attributes: agent.attributes) }
        }
        var decommissioning: [AgentRecord] = []
        var candidates: [AgentRecord] = []
        for agent in input.agents.sorted(by: { $0.id < $1.id }) {
            switch (agent.state, matches(agent)) {
            case (.decommissioning, true):
                decommissioning.append(agent)
            case (.decommissioned, true):
                break
            case (.decommissioning, false), (.decommissioned, false):
                plan.agentStates[agent.id] = .active
            case (.active, true), (.draining, true):
                candidates.append(agent)
            case (.active, false), (.draining, false):
                break
            }
        }
        for agent in candidates {
            if decommissioning.count < max(1, input.maxConcurrent) {
                decommissioning.append(agent)
                plan.agentStates[agent.id] = .decommissioning
            } else {
                plan.waiting.append(agent.id)
            }
        }
        // Slots that already have an active task of the current deploy off the leaving agents.
        let leaving = Set(decommissioning.map(\.id))
        var coveredSlots = Set<SlotID>()
        for task in activeTasks where !leaving.contains(task.agentID) && input.currentDeploys[task.slot.service] == task.deployID {
            coveredSlots.insert(task.slot)
        }
        for agent in decommissioning {
            let tasks = (tasksByAgent[agent.id] ?? []).sorted { ($0.slot, $0.taskID) < ($1.slot, $1.taskID) }
            if tasks.isEmpty {
                plan.agentStates[agent.id] = .decommissioned
                continue
            }
            plan.remainingTasks[agent.id] = tasks.count
            for task in tasks where input.currentDeploys[task.slot.service] == task.deployID && !coveredSlots.contains(task.slot) {
                plan.replacements.append(Replacement(slot: task.slot, deployID: task.deployID, replacingTaskID: task.taskID))
                coveredSlots.insert(task.slot)
            }
        }
        return plan
    }
}
