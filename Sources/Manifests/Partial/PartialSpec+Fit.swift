/// Which fields make sense for which kind. Fields written in the manifest itself that do not fit
/// its kind are errors; fields inherited from Defaults that do not fit are dropped silently (a
/// folder's Defaults may serve Services and Scheduled jobs alike).
extension PartialSpec {
    struct Misfit {
        var location: SourceLocation
        var path: String
        var message: String
    }

    func misfits(for kind: WorkloadKind) -> [Misfit] {
        var out: [Misfit] = []
        if kind != .scheduled {
            if let schedule { out.append(Misfit(location: schedule.location, path: "spec.schedule", message: "only allowed on Scheduled")) }
            if let timeZone { out.append(Misfit(location: timeZone.location, path: "spec.timeZone", message: "only allowed on Scheduled")) }
        }
        if !kind.isJob {
            let message = "only allowed on Scheduled, OnDemand and RunOnce"
            if let retries { out.append(Misfit(location: retries.location, path: "spec.retries", message: message)) }
            if let timeLimitSeconds { out.append(Misfit(location: timeLimitSeconds.location, path: "spec.timeLimitSeconds", message: message)) }
        }
        if kind != .service {
            if let ports = resources.ports, ports.value != 0 {
                out.append(Misfit(location: ports.location, path: "spec.resources.ports", message: "only a Service gets ports"))
            }
            if let mappings = container?.docker?.portMappings, !mappings.value.isEmpty {
                out.append(Misfit(location: mappings.location, path: "spec.container.docker.portMappings", message: "only a Service gets ports"))
            }
        }
        if kind.isJob, let canary = deploy.canary {
            out.append(Misfit(location: canary.location, path: "spec.deploy.canary", message: "only allowed on Service and Worker"))
        }
        if let check = healthCheck {
            if kind.isJob {
                out.append(Misfit(location: check.location, path: "spec.healthCheck", message: "only allowed on Service and Worker"))
            } else if kind == .worker, let probe = check.probe {
                switch probe.value {
                case .http:
                    out.append(Misfit(location: probe.location, path: "spec.healthCheck.http", message: "only allowed on Service (a Worker has no ports); use a command check"))
                case .tcp:
                    out.append(Misfit(location: probe.location, path: "spec.healthCheck.tcp", message: "only allowed on Service (a Worker has no ports); use a command check"))
                case .command: break
                }
            }
        }
        return out
    }

    /// This spec without the fields that do not fit `kind`.
    func restricted(to kind: WorkloadKind) -> PartialSpec {
        var spec = self
        if kind != .scheduled {
            spec.schedule = nil
            spec.timeZone = nil
        }
        if !kind.isJob {
            spec.retries = nil
            spec.timeLimitSeconds = nil
        }
        if kind != .service {
            spec.resources.ports = nil
            spec.container?.docker?.portMappings = nil
        }
        if kind.isJob {
            spec.healthCheck = nil
            spec.deploy.canary = nil
        } else if kind == .worker, let probe = spec.healthCheck?.probe?.value {
            if case .command = probe {} else { spec.healthCheck = nil }
        }
        return spec
    }
}
