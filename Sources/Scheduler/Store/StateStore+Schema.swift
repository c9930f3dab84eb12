import GRDB

extension StateStore {
    /// Schema migrations, in order. Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: settings, agents, overrides, history") { db in
            try db.create(table: "settings") { table in
                table.primaryKey("key", .text)
                table.column("value", .text).notNull()
            }
            try db.create(table: "agents") { table in
                table.primaryKey("agent_id", .text)
                table.column("state", .text).notNull()
                table.column("changed_at", .double).notNull()
            }
            try db.create(table: "overrides") { table in
                table.column("service", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("value", .integer)
                table.column("reason", .text).notNull()
                table.column("created_at", .double).notNull()
                table.column("expires_at", .double)
                table.primaryKey(["service", "kind"])
            }
            try db.create(table: "deploy_history") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("service", .text).notNull()
                table.column("deploy_id", .text).notNull()
                table.column("revision", .text)
                table.column("started_at", .double).notNull()
                table.column("ended_at", .double)
                table.column("outcome", .text).notNull()
                table.column("reason", .text)
                table.uniqueKey(["service", "deploy_id"])
            }
            try db.create(table: "task_history") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("task_id", .text).notNull().unique()
                table.column("service", .text).notNull()
                table.column("instance", .integer).notNull()
                table.column("deploy_id", .text).notNull()
                table.column("agent_id", .text).notNull()
                table.column("state", .text).notNull()
                table.column("message", .text)
                table.column("kill_reason", .text)
                table.column("launched_at", .double).notNull()
                table.column("ended_at", .double)
            }
            try db.create(index: "task_history_by_service", on: "task_history", columns: ["service", "launched_at"])
            try db.create(index: "deploy_history_by_service", on: "deploy_history", columns: ["service", "started_at"])
        }
        migrator.registerMigration("v2: canary phase of deploys") { db in
            try db.alter(table: "deploy_history") { table in
                table.add(column: "canary_phase", .text)
                table.add(column: "canary_hold_started_at", .double)
                table.add(column: "canary_decided_at", .double)
            }
        }
        migrator.registerMigration("v3: audit log") { db in
            try db.create(table: "audit_log") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("time", .double).notNull()
                table.column("actor", .text).notNull()
                table.column("action", .text).notNull()
                table.column("service", .text)
                table.column("remote_address", .text).notNull()
                table.column("status", .integer).notNull()
                table.column("message", .text).notNull()
            }
            try db.create(index: "audit_log_by_service", on: "audit_log", columns: ["service", "id"])
        }
        return migrator
    }
}
