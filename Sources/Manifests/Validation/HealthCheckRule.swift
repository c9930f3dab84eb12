/// A health check needs exactly one probe, a port index within `resources.ports`, and sane timings.
enum HealthCheckRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        guard let check = draft.spec.healthCheck else { return }
        guard let probe = check.probe else {
            errors.add(check.location, "spec.healthCheck", "give one of http, tcp or command")
            return
        }
        let ports = draft.spec.resources.ports?.value ?? (draft.kind == .service ? 1 : 0)
        let port: Int? =
            switch probe.value {
            case .http(_, let port): port
            case .tcp(let port): port
            case .command: nil
            }
        if let port {
            let kind = if case .http = probe.value { "http" } else { "tcp" }
            let location = check.probePortLocation ?? probe.location
            if port < 0 || port >= ports {
                let available = ports == 0 ? "the workload has no ports" : "spec.resources.ports is \(ports), so indexes 0-\(ports - 1)"
                errors.add(location, "spec.healthCheck.\(kind).port", "port index \(port) is out of range: \(available)")
            }
        }
        positive(check.intervalSeconds, "intervalSeconds", &errors)
        positive(check.timeoutSeconds, "timeoutSeconds", &errors)
        positive(check.consecutiveFailures, "consecutiveFailures", &errors)
        if let grace = check.gracePeriodSeconds, grace.value < 0 {
            errors.add(grace.location, "spec.healthCheck.gracePeriodSeconds", "must not be negative, got \(grace.value)")
        }
    }

    private static func positive(_ value: Located<Int>?, _ name: String, _ errors: inout [ManifestError]) {
        if let value, value.value < 1 {
            errors.add(value.location, "spec.healthCheck.\(name)", "must be at least 1, got \(value.value)")
        }
    }
}
