import Foundation
import GRDB

/// The scheduler's durable state in SQLite: framework id, agent decommission progress, expiring overrides,
/// and deploy and task history with bounded retention. Everything else is rebuilt from the master.
///
/// Thread-safe: GRDB's `DatabaseQueue` serializes access.
public final class StateStore: Sendable {
    let queue: DatabaseQueue

    /// Opens (creating if needed) the database in `directory`/state.sqlite and migrates it.
    public convenience init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try self.init(queue: DatabaseQueue(path: directory.appendingPathComponent("state.sqlite").path))
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> StateStore {
        try StateStore(queue: DatabaseQueue())
    }

    init(queue: DatabaseQueue) throws {
        self.queue = queue
        try Self.migrator.migrate(queue)
    }

    /// Names of the migrations applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try queue.read { db in try Self.migrator.appliedMigrations(db) }
    }

    // MARK: - Framework id

    public func frameworkID() throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'framework_id'") }
    }

    /// Stores the framework id from SUBSCRIBED; nil forgets it (the master removed the framework).
    public func setFrameworkID(_ id: String?) throws {
        try queue.write { db in
            if let id {
                try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('framework_id', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [id])
            } else {
                try db.execute(sql: "DELETE FROM settings WHERE key = 'framework_id'")
            }
        }
    }

    // MARK: - Agents

    /// Agents Converge decommissions or has decommissioned (active agents are not stored).
    public func agentStates() throws -> [String: AgentState] {
        try queue.read { db in
            var states: [String: AgentState] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT agent_id, state FROM agents") {
                if let state = AgentState(rawValue: row["state"]) { states[row["agent_id"]] = state }
            }
            return states
        }
    }

    public func setAgentState(_ agentID: String, _ state: AgentState, at time: Date) throws {
        try queue.write { db in
            if state == .active {
                try db.execute(sql: "DELETE FROM agents WHERE agent_id = ?", arguments: [agentID])
            } else {
                try db.execute(sql: """
                    INSERT INTO agents (agent_id, state, changed_at) VALUES (?, ?, ?)
                    ON CONFLICT(agent_id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at
                    """, arguments: [agentID, state.rawValue, time.timeIntervalSince1970])
            }
        }
    }

    // MARK: - Overrides

    public func putOverride(_ override: Override) throws {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO overrides (service, kind, value, reason, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(service, kind) DO UPDATE SET value = excluded.value, reason = excluded.reason,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                """, arguments: [override.service, override.kind.rawValue, override.value, override.reason,
                                 override.createdAt.timeIntervalSince1970, override.expiresAt?.timeIntervalSince1970])
        }
    }

    public func removeOverride(service: String, kind: Override.Kind) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM overrides WHERE service = ? AND kind = ?", arguments: [service, kind.rawValue])
        }
    }

    /// Overrides in force at `now` (expired ones are not returned, whether pruned yet or not).
    public func activeOverrides(now: Date) throws -> [Override] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM overrides WHERE expires_at IS NULL OR expires_at > ? ORDER BY service, kind
                """, arguments: [now.timeIntervalSince1970]).compactMap(Override.init(row:))
        }
    }

    /// Deletes expired overrides; returns how many.
    @discardableResult
    public func pruneExpiredOverrides(now: Date) throws -> Int {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM overrides WHERE expires_at IS NOT NULL AND expires_at <= ?", arguments: [now.timeIntervalSince1970])
            return db.changesCount
        }
    }

    // MARK: - History

    /// Records a deploy's start or its end (same service and deploy id: updated in place).
    public func recordDeploy(_ entry: DeployHistoryEntry) throws {
        try recordDeploys([entry])
    }

    /// Records many deploy changes in one transaction (the driver flushes once per tick).
    public func recordDeploys(_ entries: [DeployHistoryEntry]) throws {
        guard !entries.isEmpty else { return }
        try queue.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO deploy_history (service, deploy_id, revision, started_at, ended_at, outcome, reason,
                                            canary_phase, canary_hold_started_at, canary_decided_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(service, deploy_id) DO UPDATE SET revision = excluded.revision, ended_at = excluded.ended_at,
                    outcome = excluded.outcome, reason = excluded.reason, canary_phase = excluded.canary_phase,
                    canary_hold_started_at = excluded.canary_hold_started_at, canary_decided_at = excluded.canary_decided_at
                """)
            for entry in entries {
                try statement.execute(arguments: [entry.service, entry.deployID, entry.revision, entry.startedAt.timeIntervalSince1970,
                                                  entry.endedAt?.timeIntervalSince1970, entry.outcome.rawValue, entry.reason,
                                                  entry.canary?.phase.rawValue, entry.canary?.holdStartedAt?.timeIntervalSince1970,
                                                  entry.canary?.decidedAt?.timeIntervalSince1970])
            }
        }
    }

    /// Newest first.
    public func deployHistory(service: String, limit: Int = 50) throws -> [DeployHistoryEntry] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM deploy_history WHERE service = ? ORDER BY started_at DESC, id DESC LIMIT ?",
                             arguments: [service, limit]).compactMap(DeployHistoryEntry.init(row:))
        }
    }

    public func recordTask(_ entry: TaskHistoryEntry) throws {
        try recordTasks([entry])
    }

    /// Records many task changes in one transaction (the driver flushes once per tick).
    public func recordTasks(_ entries: [TaskHistoryEntry]) throws {
        guard !entries.isEmpty else { return }
        try queue.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO task_history (task_id, service, instance, deploy_id, agent_id, state, message, kill_reason, launched_at, ended_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(task_id) DO UPDATE SET agent_id = excluded.agent_id, state = excluded.state, message = excluded.message,
                    kill_reason = excluded.kill_reason, ended_at = excluded.ended_at
                """)
            for entry in entries {
                try statement.execute(arguments: [entry.taskID, entry.slot.service, entry.slot.instance, entry.deployID, entry.agentID,
                                                  entry.state.rawValue, entry.message, entry.killReason?.rawValue,
                                                  entry.launchedAt.timeIntervalSince1970, entry.endedAt?.timeIntervalSince1970])
            }
        }
    }

    /// Newest first.
    public func taskHistory(service: String, limit: Int = 100) throws -> [TaskHistoryEntry] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM task_history WHERE service = ? ORDER BY launched_at DESC, id DESC LIMIT ?",
                             arguments: [service, limit]).compactMap(TaskHistoryEntry.init(row:))
        }
    }

    /// Keeps the newest `deploysPerService` deploys and `tasksPerService` tasks of each service.
    public func enforceRetention(deploysPerService: Int = 50, tasksPerService: Int = 500) throws {
        try queue.write { db in
            try db.execute(sql: """
                DELETE FROM deploy_history WHERE id IN (
                    SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY service ORDER BY started_at DESC, id DESC) AS n
                                    FROM deploy_history) WHERE n > ?)
                """, arguments: [deploysPerService])
            try db.execute(sql: """
                DELETE FROM task_history WHERE id IN (
                    SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY service ORDER BY launched_at DESC, id DESC) AS n
                                    FROM task_history) WHERE n > ?)
                """, arguments: [tasksPerService])
        }
    }
}
