import Reconciler

/// `converge status NAME`: one service's state, tasks, deploys, overrides and job runs.
enum ServiceDetailView {
    static func render(_ detail: ServiceDetailDocument, style: Style) -> String {
        var out = "\(style.bold(detail.name)) (\(detail.kind)), deploy \(detail.deployId)\n"
        let sync = detail.sync.rawValue
        out += "Sync:   \(detail.sync == .synced ? style.green(sync) : style.yellow(sync))"
        out += detail.syncReason.map { ": \($0)" } ?? ""
        out += "\n"
        out += "Health: \(StatusCommand.color(detail.health, detail.health.rawValue, style))"
        out += detail.healthReason.map { ": \($0)" } ?? ""
        out += "\n"
        if let source = detail.source {
            out += "Source: \(source.file):\(source.line)" + (source.revision.map { " at \(shortSHA($0))" } ?? "") + "\n"
        }
        let i = detail.instances
        if ["Scheduled", "OnDemand", "RunOnce"].contains(detail.kind) {
            let last = detail.lastRun.map { "\($0.outcome), started \(APIDate.format($0.startedAt))" } ?? "never"
            out += "Last run: \(last)\n"
        } else {
            out += "Instances: \(i.healthy)/\(i.desired) ready (healthy of desired), \(i.updated) up to date "
                + "(\(i.updatedHealthy) healthy) of deploy \(detail.deployId), \(i.running) running\n"
        }
        if let canary = detail.canary {
            out += "Canary: \(canary.summary), \(canary.healthy)/\(canary.instances) healthy"
            if canary.phase == "waitingForPromotion" { out += " (converge promote \(detail.name) | converge abort \(detail.name))" }
            out += (canary.reason.map { ": \($0)" } ?? "") + "\n"
        }
        if let pending = detail.pendingReason { out += style.yellow("Pending: \(pending)") + "\n" }
        if let next = detail.nextRun { out += "Next run: \(APIDate.format(next))\n" }

        if !detail.overrides.isEmpty {
            out += "\nOverrides:\n"
            for entry in detail.overrides {
                let value = entry.value.map { " \($0)" } ?? ""
                let until = entry.expiresAt.map { "until \(APIDate.format($0))" } ?? "until removed"
                out += "  \(entry.kind)\(value) \(until): \(entry.reason)\n"
            }
        }
        if !detail.tasks.isEmpty {
            var table = Table(header: ["INSTANCE", "TASK", "DEPLOY", "HOST", "PORTS", "STATE", "HEALTHY"])
            for task in detail.tasks {
                table.rows.append([
                    .init(String(task.instance)), .init(task.id), .init(task.deployId), .init(task.host),
                    .init(task.ports.map(String.init).joined(separator: ",")), .init(task.state),
                    .init(task.healthy ? "yes" : "no", styled: task.healthy ? style.green("yes") : style.yellow("no")),
                ])
            }
            out += "\nTasks:\n" + table.rendered(style: style)
        }
        if !detail.deploys.isEmpty {
            var table = Table(header: ["DEPLOY", "STATE", "STARTED", "ENDED", "REASON"])
            for deploy in detail.deploys {
                let styled = deploy.state == "failed" ? style.red(deploy.state) : deploy.state == "succeeded" ? style.green(deploy.state) : deploy.state
                table.rows.append([
                    .init(deploy.id), .init(deploy.state, styled: styled), .init(APIDate.format(deploy.startedAt)),
                    .init(deploy.endedAt.map(APIDate.format) ?? "-"), .init(deploy.reason ?? ""),
                ])
            }
            out += "\nDeploys:\n" + table.rendered(style: style)
        }
        if !detail.runs.isEmpty {
            var table = Table(header: ["RUN", "ATTEMPT", "STARTED", "ENDED", "OUTCOME"])
            for run in detail.runs {
                table.rows.append([
                    .init(run.taskId), .init(String(run.attempt)), .init(APIDate.format(run.startedAt)),
                    .init(run.endedAt.map(APIDate.format) ?? "-"), .init(run.outcome),
                ])
            }
            out += "\nRuns:\n" + table.rendered(style: style)
        }
        return out
    }
}
