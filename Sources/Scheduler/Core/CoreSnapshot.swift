import Foundation
import Manifests

/// A value copy of what the scheduler core knows, for the controller, the status API and `converge apply`.
public struct CoreSnapshot: Sendable {
    public enum Connection: Sendable, Hashable {
        case connecting
        case subscribed
        case disconnected(reason: String)
    }

    public var frameworkID: String?
    public var connection: Connection
    /// The first reconciliation with the master after subscribing is complete: the task set is trustworthy
    /// (until then the core launches and kills nothing that depends on missing tasks).
    public var reconciled: Bool
    /// The revision of the desired set the core works toward.
    public var revision: String?
    public var services: [String: ServiceSnapshot]
    public var agents: [String: AgentStatus]
    /// Tasks carrying this framework's labels that no service claims (killed once reconciliation confirmed them).
    public var unclaimedTasks: [TaskRecord]
    public var counters: CoreCounters
    public var takenAt: Date

    public init(frameworkID: String? = nil, connection: Connection = .connecting, reconciled: Bool = false, revision: String? = nil,
                services: [String: ServiceSnapshot] = [:], agents: [String: AgentStatus] = [:], unclaimedTasks: [TaskRecord] = [],
                counters: CoreCounters = CoreCounters(), takenAt: Date) {
        self.frameworkID = frameworkID
        self.connection = connection
        self.reconciled = reconciled
        self.revision = revision
        self.services = services
        self.agents = agents
        self.unclaimedTasks = unclaimedTasks
        self.counters = counters
        self.takenAt = takenAt
    }
}

/// One service as the core runs it.
public struct ServiceSnapshot: Sendable {
    /// The workload the core was last handed (its template, deploy id, request settings).
    public var workload: Workload
    /// Instances after overrides (scale override, pause: 0; spreadAllAgents: the eligible agents).
    public var effectiveInstances: Int
    /// Every known task of the service, any deploy, terminal ones recently ended included.
    public var tasks: [TaskRecord]
    /// The deploy the core works toward (the workload's deploy id, or a bounce's).
    public var currentDeployID: String
    /// Where the current deploy stands; nil for job kinds.
    public var deployStatus: DeployStatus?
    /// Newest first: the current deploy and recent ones, with outcomes and failure reasons.
    public var deploys: [DeployHistoryEntry]
    /// Backoff or crash-loop cooldown of replacements.
    public var launchGate: LaunchGate
    public var overrides: [Override]
    /// Why pending tasks found no place in the last offer round (e.g. "no agent with 2.0 cpus").
    public var pendingReason: String?
    /// Job runs (Scheduled, OnDemand, RunOnce), newest last.
    public var jobRuns: [JobRun]
    /// Scheduled: the next fire time.
    public var nextFire: Date?
    /// The deploy whose instances run: `currentDeployID`, or after it failed the previous deploy kept running
    /// (nil when there is none).
    public var runningDeployID: String?
    /// The current deploy's canary (nil when it has none).
    public var canary: CanaryStatus?

    public init(workload: Workload, effectiveInstances: Int, tasks: [TaskRecord] = [], currentDeployID: String,
                deployStatus: DeployStatus? = nil, deploys: [DeployHistoryEntry] = [], launchGate: LaunchGate = .open,
                overrides: [Override] = [], pendingReason: String? = nil, jobRuns: [JobRun] = [], nextFire: Date? = nil) {
        self.workload = workload
        self.effectiveInstances = effectiveInstances
        self.tasks = tasks
        self.currentDeployID = currentDeployID
        self.deployStatus = deployStatus
        self.deploys = deploys
        self.launchGate = launchGate
        self.overrides = overrides
        self.pendingReason = pendingReason
        self.jobRuns = jobRuns
        self.nextFire = nextFire
    }

    public var name: String { workload.name }
    public var activeTasks: [TaskRecord] { tasks.filter(\.isActive) }
    public var runningCount: Int { tasks.filter { $0.isActive && $0.state == .running }.count }
    public var healthyCount: Int { tasks.filter { $0.isHealthy && $0.deployID == currentDeployID }.count }
    public var isPaused: Bool { overrides.contains { $0.kind == .pause } }
}

/// One agent as the core sees it.
public struct AgentStatus: Sendable, Hashable {
    public var id: String
    public var hostname: String
    public var attributes: [String: String]
    public var state: AgentState
    /// Active tasks of this framework on the agent.
    public var taskCount: Int

    public init(id: String, hostname: String, attributes: [String: String] = [:], state: AgentState = .active, taskCount: Int = 0) {
        self.id = id
        self.hostname = hostname
        self.attributes = attributes
        self.state = state
        self.taskCount = taskCount
    }
}

/// Running totals since the core started (Prometheus counters).
public struct CoreCounters: Sendable, Hashable {
    public var offersReceived = 0
    public var offersDeclined = 0
    public var offersRescinded = 0
    public var tasksLaunched = 0
    public var tasksKilled = 0
    public var statusUpdates = 0
    public var deploysSucceeded = 0
    public var deploysFailed = 0
    public var reconciliations = 0
    public var inverseOffersAccepted = 0

    public init() {}
}

/// What changed in the core; subscribers read `snapshot()` for the whole picture (level-triggered).
public enum CoreChange: Sendable {
    case connection(CoreSnapshot.Connection)
    case task(TaskRecord)
    case deploy(DeployHistoryEntry)
    case agent(AgentStatus)
    case reconciled
}
