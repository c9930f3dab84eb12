/// Singularity's `healthcheck` (or the deprecated flat `healthcheck*` fields) to `healthCheck`.
///
/// Singularity: GET `http://host:PORT[portIndex]{uri}`; a startup phase (`startupDelaySeconds`,
/// then up to `startupTimeoutSeconds` of polling every `startupIntervalSeconds`), then checks every
/// `intervalSeconds` with `responseTimeoutSeconds`, `maxRetries` retries. Defaults: interval and
/// response timeout 5 s, port index 0.
enum HealthCheckMapping {
    struct Mapped {
        var node: YAMLNode
        /// The port index the check uses, if it uses one.
        var portIndex: Int?
    }

    static func map(_ deploy: SingularityDeploy, kind: String, notes: inout MappingNotes) -> Mapped? {
        var check = deploy.healthcheck
        if check == nil, let uri = deploy.healthcheckUri {
            check = SingularityDeploy.Healthcheck(
                uri: uri, portIndex: deploy.healthcheckPortIndex, intervalSeconds: deploy.healthcheckIntervalSeconds,
                responseTimeoutSeconds: deploy.healthcheckTimeoutSeconds, maxRetries: deploy.healthcheckMaxRetries)
        }
        guard let check else { return nil }
        let field = deploy.healthcheck != nil ? "deploy.healthcheck" : "deploy.healthcheckUri"

        var probe: (key: String, value: YAMLNode)
        var portIndex: Int?
        if let file = check.healthcheckResultFilePath, !file.isEmpty, check.uri == nil {
            probe = ("command", .string("test -f " + CommandMapping.shellQuoted(file)))
            notes.add(field + ".healthcheckResultFilePath", "mapped to a command check `test -f \(file)`, run in the task's sandbox (Singularity looked in the app folder)")
        } else if let uri = check.uri {
            guard kind == "Service" else {
                notes.add(field, "an HTTP check on a \(kind): Converge allows HTTP checks on a Service only (a \(kind) has no ports); left out")
                return nil
            }
            var path = uri.isEmpty ? "/" : uri
            if !path.hasPrefix("/") {
                path = "/" + path
                notes.add(field + ".uri", "\"\(uri)\" does not start with '/'; written as \"\(path)\"")
            }
            if let number = check.portNumber {
                notes.add(field + ".portNumber", "a fixed port (\(number)) has no Converge form; the check uses allocated port index \(check.portIndex ?? 0)")
            }
            portIndex = max(0, check.portIndex ?? 0)
            probe = ("http", .map([("path", .string(path)), ("port", .int(portIndex!))]))
            if let proto = check.protocol?.uppercased(), proto != "HTTP" {
                notes.add(field + ".protocol", "\(proto): Converge checks over plain HTTP/1.1; the check may fail until the service answers HTTP")
            }
            if let method = check.method?.uppercased(), method != "GET" {
                notes.add(field + ".method", "\(method): Converge checks with GET")
            }
            if let codes = check.failureStatusCodes, !codes.isEmpty {
                notes.add(field + ".failureStatusCodes", "\(codes): Converge counts any answer but 2xx as a failure")
            }
        } else {
            notes.add(field, "no uri and no healthcheckResultFilePath: nothing to check; left out")
            return nil
        }
        if kind != "Service" && kind != "Worker" {
            notes.add(field, "a \(kind) has no health check in Converge; left out")
            return nil
        }

        var map = YAMLMapBuilder()
        map.set(probe.key, probe.value)
        map.set("intervalSeconds", max(1, check.intervalSeconds ?? 5))
        map.set("timeoutSeconds", max(1, check.responseTimeoutSeconds ?? 5))
        if check.startupDelaySeconds != nil || check.startupTimeoutSeconds != nil {
            // Failures during the grace period do not count: Singularity's start-up phase.
            map.set("gracePeriodSeconds", max(0, (check.startupDelaySeconds ?? 0) + (check.startupTimeoutSeconds ?? 0)))
        }
        if let interval = check.startupIntervalSeconds {
            notes.add(field + ".startupIntervalSeconds", "\(interval) s: Converge probes at intervalSeconds during the grace period too")
        }
        if let retries = check.maxRetries {
            // maxRetries retries after a failure: the check fails on the (maxRetries + 1)th failure in a row.
            map.set("consecutiveFailures", max(1, retries + 1))
        }
        return Mapped(node: map.node!, portIndex: portIndex)
    }
}
