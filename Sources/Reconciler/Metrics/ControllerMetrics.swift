import CoreMetrics
import Foundation
import Prometheus
import Scheduler
import Synchronization

/// The controller's Prometheus metrics, in a registry of its own (nothing is bootstrapped globally, so
/// several controllers or tests can live in one process).
///
/// Sync counters and the duration histogram are recorded by the controller after each sync
/// (`recordSync(_:duration:)`); gauges and the totals the core and source keep are refreshed from a
/// `ControllerState` on every scrape (`exposition(for:now:)`).
public final class ControllerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    private let syncDuration: CoreMetrics.Timer
    private let syncsByOutcome: [SyncRecord.Outcome: CoreMetrics.Counter]

    private let servicesBySync: [SyncStatus: Prometheus.Gauge]
    private let servicesByHealth: [HealthStatus: Prometheus.Gauge]
    private let tasksByState: [TaskState: Prometheus.Gauge]
    private let agentsByState: [AgentState: Prometheus.Gauge]
    private let ready: Prometheus.Gauge
    private let connected: Prometheus.Gauge
    private let lastSyncTimestamp: Prometheus.Gauge
    private let totals: [Total: Prometheus.Counter]
    /// The last value of each running total seen at a scrape, to turn totals into counter increments.
    private let seen = Mutex<[Total: Int]>([:])

    /// Running totals kept elsewhere (the core, the source) and exposed as counters.
    enum Total: Hashable, CaseIterable {
        case deploysSucceeded, deploysFailed, fetchErrors, offersReceived, offersDeclined, offersRescinded
        case tasksLaunched, tasksKilled, statusUpdates

        func value(in state: ControllerState) -> Int {
            let c = state.core.counters
            switch self {
            case .deploysSucceeded: return c.deploysSucceeded
            case .deploysFailed: return c.deploysFailed
            case .fetchErrors: return state.fetchErrors
            case .offersReceived: return c.offersReceived
            case .offersDeclined: return c.offersDeclined
            case .offersRescinded: return c.offersRescinded
            case .tasksLaunched: return c.tasksLaunched
            case .tasksKilled: return c.tasksKilled
            case .statusUpdates: return c.statusUpdates
            }
        }
    }

    /// Sync duration buckets, in seconds: a sync hands the desired set over, from milliseconds to a slow fetch.
    static let syncDurationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["converge_sync_duration_seconds"] = Self.syncDurationBuckets
        self.factory = factory

        syncDuration = CoreMetrics.Timer(label: "converge_sync_duration_seconds", factory: factory)
        syncsByOutcome = Dictionary(uniqueKeysWithValues: SyncRecord.Outcome.allCases.map {
            ($0, CoreMetrics.Counter(label: "converge_syncs_total", dimensions: [("outcome", $0.rawValue)], factory: factory))
        })
        servicesBySync = Dictionary(uniqueKeysWithValues: SyncStatus.allCases.map {
            ($0, registry.makeGauge(name: "converge_services_by_sync", labels: [("status", $0.rawValue)],
                                    help: "Services by sync status (Synced, OutOfSync)."))
        })
        servicesByHealth = Dictionary(uniqueKeysWithValues: HealthStatus.allCases.map {
            ($0, registry.makeGauge(name: "converge_services_by_health", labels: [("status", $0.rawValue)],
                                    help: "Services by health status."))
        })
        tasksByState = Dictionary(uniqueKeysWithValues: TaskState.allCases.map {
            ($0, registry.makeGauge(name: "converge_tasks", labels: [("state", $0.rawValue)],
                                    help: "Known tasks by state (recently ended ones included)."))
        })
        agentsByState = Dictionary(uniqueKeysWithValues: AgentState.allCases.map {
            ($0, registry.makeGauge(name: "converge_agents", labels: [("state", $0.rawValue)], help: "Agents by state."))
        })
        ready = registry.makeGauge(name: "converge_ready", help: "1 when the controller is ready (subscribed, reconciled, synced once).")
        connected = registry.makeGauge(name: "converge_framework_connected", help: "1 while subscribed to the Mesos master.")
        lastSyncTimestamp = registry.makeGauge(
            name: "converge_last_sync_timestamp_seconds", help: "When the last sync finished (Unix time).")
        func total(_ name: String, _ labels: [(String, String)], _ help: String) -> Prometheus.Counter {
            registry.makeCounter(name: name, labels: labels, help: help)
        }
        func total(_ name: String, _ help: String) -> Prometheus.Counter {
            registry.makeCounter(name: name, help: help)
        }
        totals = [
            .deploysSucceeded: total("converge_deploys_total", [("outcome", "succeeded")], "Deploys ended, by outcome."),
            .deploysFailed: total("converge_deploys_total", [("outcome", "failed")], "Deploys ended, by outcome."),
            .fetchErrors: total("converge_git_fetch_errors_total", "Failed fetches of the git source."),
            .offersReceived: total("converge_offers_received_total", "Resource offers received from Mesos."),
            .offersDeclined: total("converge_offers_declined_total", "Resource offers declined."),
            .offersRescinded: total("converge_offers_rescinded_total", "Resource offers rescinded by Mesos."),
            .tasksLaunched: total("converge_tasks_launched_total", "Tasks launched."),
            .tasksKilled: total("converge_tasks_killed_total", "Task kills sent."),
            .statusUpdates: total("converge_status_updates_total", "Task status updates received."),
        ]
    }

    /// Counts one finished sync by outcome and records how long it took. Call it after every sync.
    public func recordSync(_ record: SyncRecord, duration: Duration) {
        syncsByOutcome[record.outcome]?.increment()
        syncDuration.recordNanoseconds(duration.nanoseconds)
        lastSyncTimestamp.set(to: (record.finishedAt ?? record.startedAt).timeIntervalSince1970)
    }

    /// Refreshes gauges and totals from the state, then renders the Prometheus text format.
    public func exposition(for state: ControllerState, now: Date) -> String {
        update(from: state, now: now)
        return registry.emitToString()
    }

    func update(from state: ControllerState, now: Date) {
        let statuses = state.serviceStatuses(now: now)
        for status in SyncStatus.allCases {
            servicesBySync[status]?.set(to: Double(statuses.count { $0.sync == status }))
        }
        for status in HealthStatus.allCases {
            servicesByHealth[status]?.set(to: Double(statuses.count { $0.health == status }))
        }
        var tasks: [TaskState: Int] = [:]
        for service in state.core.services.values {
            for task in service.tasks { tasks[task.state, default: 0] += 1 }
        }
        for task in state.core.unclaimedTasks { tasks[task.state, default: 0] += 1 }
        for taskState in TaskState.allCases { tasksByState[taskState]?.set(to: Double(tasks[taskState] ?? 0)) }
        var agents: [AgentState: Int] = [:]
        for agent in state.core.agents.values { agents[agent.state, default: 0] += 1 }
        for agentState in AgentState.allCases { agentsByState[agentState]?.set(to: Double(agents[agentState] ?? 0)) }
        ready.set(to: state.ready ? 1.0 : 0.0)
        connected.set(to: state.core.connection == .subscribed ? 1.0 : 0.0)

        // Totals only grow; a smaller value means its keeper restarted: count from there again.
        let increments: [(Total, Int)] = seen.withLock { seen in
            Total.allCases.compactMap { total in
                let value = total.value(in: state)
                let previous = seen[total] ?? 0
                seen[total] = value
                let delta = value >= previous ? value - previous : value
                return delta > 0 ? (total, delta) : nil
            }
        }
        for (total, delta) in increments { totals[total]?.increment(by: Int64(delta)) }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
