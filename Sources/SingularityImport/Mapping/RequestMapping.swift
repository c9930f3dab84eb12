import Foundation

/// One Singularity request (with its active deploy) to one Converge manifest.
public enum RequestMapping {
    public struct Mapped: Sendable, Hashable {
        public var kind: String
        /// The manifest document; nil when the request is not imported.
        public var manifest: YAMLNode?
        public var skipped: String?
        public var notes: [ImportReport.Note]
    }

    /// Converge's kind for a request type (inferred as Singularity does when absent).
    static func kind(of request: SingularityRequest) -> String? {
        let type = request.requestType?.uppercased() ?? {
            if request.schedule != nil || request.quartzSchedule != nil { return "SCHEDULED" }
            if request.daemon == false { return "ON_DEMAND" }
            if request.loadBalanced == true { return "SERVICE" }
            return "WORKER"
        }()
        return [
            "SERVICE": "Service", "WORKER": "Worker", "SCHEDULED": "Scheduled", "ON_DEMAND": "OnDemand",
            "RUN_ONCE": "RunOnce",
        ][type]
    }

    public static func map(_ parent: SingularityRequestParent, name: String) -> Mapped {
        let request = parent.request
        var notes = MappingNotes()
        guard let kind = kind(of: request) else {
            return Mapped(kind: request.requestType ?? "?", manifest: nil,
                          skipped: "unknown requestType \"\(request.requestType ?? "")\"", notes: [])
        }
        func skip(_ reason: String) -> Mapped {
            Mapped(kind: kind, manifest: nil, skipped: reason, notes: notes.notes)
        }
        let state = parent.state?.uppercased() ?? "ACTIVE"
        if state == "DELETING" || state == "DELETED" {
            return skip("the request is \(state.lowercased()) in Singularity")
        }
        guard let deploy = parent.activeDeploy else {
            return skip("the request has no active deploy")
        }
        let longRunning = kind == "Service" || kind == "Worker"

        // metadata
        var metadata = YAMLMapBuilder()
        metadata.set("name", name)
        let owners = (request.owners ?? []).filter { !$0.isEmpty }
        if !owners.isEmpty { metadata.set("owners", YAMLNode.list(owners.map(YAMLNode.string))) }
        var labels: [(String, YAMLNode)] = [("singularityRequestId", .string(request.id))]
        if let group = request.group, !group.isEmpty { labels.append(("singularityGroup", .string(group))) }
        metadata.set("labels", YAMLNode.map(labels))

        // spec
        var spec = YAMLMapBuilder()
        var instances = request.instances ?? 1
        if longRunning, state == "PAUSED" {
            notes.add("state", "PAUSED in Singularity: imported with instances 0 (it had \(instances)); raise it when the service should run under Converge")
            instances = 0
        } else if state == "PAUSED" {
            notes.add("state", "PAUSED in Singularity: a \(kind) has no paused state in a manifest; `converge pause \(name)` after the first sync if it should not run")
        }
        let minimum = longRunning ? 0 : 1
        if instances < minimum || instances > 1000 {
            let clamped = min(max(instances, minimum), 1000)
            notes.add("request.instances", "\(instances) is outside \(minimum)-1000 for a \(kind); written as \(clamped)")
            instances = clamped
        }
        if request.instances != nil || instances != 1 { spec.set("instances", instances) }

        let command: YAMLNode?
        switch CommandMapping.command(deploy, notes: &notes) {
        case .success(let value): command = value
        case .failure(let reason): return skip(reason.message)
        }
        spec.set("command", command)
        spec.set("env", CommandMapping.env(deploy, notes: &notes))

        let container = CommandMapping.container(deploy, allowPorts: kind == "Service", notes: &notes)
        let check = HealthCheckMapping.map(deploy, kind: kind, notes: &notes)
        var ports: Int?
        let numPorts = deploy.resources?.numPorts ?? 0
        if kind == "Service" {
            let needed = max(numPorts, (check?.portIndex).map { $0 + 1 } ?? 0, (container.portIndexes.max() ?? -1) + 1)
            if needed > 64 {
                return skip("needs \(needed) ports; Converge allows at most 64")
            }
            if needed > numPorts {
                notes.add("deploy.resources.numPorts", "\(numPorts), but the health check or a port mapping uses port index \(needed - 1): written as ports: \(needed)")
            }
            ports = needed
        } else if numPorts > 0 {
            notes.add("deploy.resources.numPorts", "\(numPorts): only a Service gets ports in Converge; left out ($PORT0... will not be set)")
        }
        spec.set("resources", CommandMapping.resources(deploy, ports: ports, notes: &notes))
        spec.set("artifacts", CommandMapping.artifacts(deploy, raw: parent.rawDeploy, notes: &notes))
        spec.set("container", container.node)
        spec.set("healthCheck", check?.node)
        spec.set("deploy", DeploySettingsMapping.map(deploy, longRunning: longRunning, notes: &notes))
        spec.set("placement", PlacementMapping.map(request, notes: &notes))

        if kind == "Scheduled" {
            switch ScheduleConversion.convert(
                schedule: request.schedule, quartzSchedule: request.quartzSchedule, scheduleType: request.scheduleType)
            {
            case .cron(let expression, let note):
                spec.set("schedule", expression)
                if let note { notes.add(request.scheduleType?.uppercased() == "QUARTZ" || request.schedule == nil ? "request.quartzSchedule" : "request.schedule", note) }
            case .unconvertible(let reason):
                return skip("schedule: \(reason); write the schedule by hand")
            }
            if let zone = request.scheduleTimeZone, !zone.isEmpty {
                guard TimeZone(identifier: zone) != nil else {
                    return skip("scheduleTimeZone \"\(zone)\" is not an IANA time zone Converge knows; the job would run at the wrong time")
                }
                spec.set("timeZone", zone)
            }
        } else if request.schedule != nil || request.quartzSchedule != nil {
            notes.add("request.schedule", "a \(kind) has no schedule in Converge; left out")
        }

        if !longRunning {
            if let retries = request.numRetriesOnFailure {
                let clamped = min(max(retries, 0), 100)
                if clamped != retries { notes.add("request.numRetriesOnFailure", "\(retries) written as \(clamped) (Converge allows 0-100)") }
                spec.set("retries", clamped)
            }
            if let limit = request.taskExecutionTimeLimitMillis, limit > 0 {
                spec.set("timeLimitSeconds", secondsRoundingUp(millis: limit))
            }
        } else {
            if let retries = request.numRetriesOnFailure {
                notes.add("request.numRetriesOnFailure", "\(retries): a \(kind) is replaced when it exits; retries apply to jobs only")
            }
            if let limit = request.taskExecutionTimeLimitMillis {
                notes.add("request.taskExecutionTimeLimitMillis", "\(limit): a time limit applies to jobs only")
            }
        }
        spec.set("user", deploy.executorData?.user ?? deploy.user)
        if let codes = deploy.executorData?.successfulExitCodes, codes != [0], !codes.isEmpty {
            notes.add("deploy.executorData.successfulExitCodes", "\(codes): Converge counts exit code 0 as success")
        }

        UnmappedFields.report(parent, notes: &notes)

        let manifest = YAMLNode.map([
            ("apiVersion", .string("converge/v1")),
            ("kind", .string(kind)),
            ("metadata", metadata.node!),
            ("spec", spec.node ?? .map([])),
        ])
        return Mapped(kind: kind, manifest: manifest, skipped: nil, notes: notes.notes)
    }
}
