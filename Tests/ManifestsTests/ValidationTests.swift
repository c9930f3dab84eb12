import Testing
@testable import Manifests

/// One test per validation rule; each asserts the exact `file:line:column: path: message`.
@Suite struct ValidationTests {
    @Test func nameMustBeADNSLabel() {
        #expect(errorLines(manifest(name: "Web_1")) == [
            #"app.yaml:4:9: metadata.name: "Web_1" is not a DNS label (lowercase letters, digits and '-', starting and ending with a letter or digit)"#
        ])
        #expect(errorLines(manifest(name: String(repeating: "a", count: 64))).first?.contains("longer than 63") == true)
        #expect(errorLines(manifest(name: "-web")).count == 1)
        #expect(errorLines(manifest(name: String(repeating: "a", count: 63))) == [])
        #expect(errorLines("apiVersion: converge/v1\nkind: Worker\nspec: {command: x}\n") == [
            "app.yaml:1:1: metadata.name: required field missing"
        ])
    }

    @Test func namesAreUniqueAcrossTheRepositoryAndBothPlacesAreReported() {
        let set = load([
            "a/web.yaml": manifest(name: "web"),
            "b/web.yaml": manifest("Worker", name: "web"),
        ])
        #expect(set.errors.map(\.description) == [
            #"a/web.yaml:4:9: metadata.name: "web" is used again at b/web.yaml:4:9"#,
            #"b/web.yaml:4:9: metadata.name: "web" is already used at a/web.yaml:4:9"#,
        ])
    }

    @Test func apiVersionIsRequiredAndChecked() {
        #expect(errorLines("kind: Worker\nmetadata: {name: w}\nspec: {command: x}\n") == [
            "app.yaml:1:1: apiVersion: required field missing; expected converge/v1"
        ])
        #expect(errorLines("apiVersion: converge/v2\nkind: Worker\nmetadata: {name: w}\nspec: {command: x}\n") == [
            #"app.yaml:1:13: apiVersion: unsupported version "converge/v2"; expected converge/v1"#
        ])
    }

    @Test func kindIsRequired() {
        #expect(errorLines("apiVersion: converge/v1\nmetadata: {name: w}\n") == ["app.yaml:1:1: kind: required field missing"])
    }

    @Test func scheduleAndTimeZoneOnlyOnScheduled() {
        #expect(errorLines(manifest("Worker", spec: "command: x\nschedule: \"* * * * *\"\ntimeZone: UTC")) == [
            "app.yaml:7:13: spec.schedule: only allowed on Scheduled",
            "app.yaml:8:13: spec.timeZone: only allowed on Scheduled",
        ])
    }

    @Test func scheduleRequiredOnScheduled() {
        #expect(errorLines(manifest("Scheduled", spec: "command: x")) == [
            "app.yaml:1:1: spec.schedule: required field missing for Scheduled"
        ])
    }

    @Test func retriesAndTimeLimitOnlyOnJobs() {
        #expect(errorLines(manifest("Service", spec: "command: x\nretries: 2\ntimeLimitSeconds: 10")) == [
            "app.yaml:7:12: spec.retries: only allowed on Scheduled, OnDemand and RunOnce",
            "app.yaml:8:21: spec.timeLimitSeconds: only allowed on Scheduled, OnDemand and RunOnce",
        ])
        #expect(errorLines(manifest("RunOnce", spec: "command: x\nretries: 101\ntimeLimitSeconds: 0")) == [
            "app.yaml:7:12: spec.retries: must be between 0 and 100, got 101",
            "app.yaml:8:21: spec.timeLimitSeconds: must be at least 1, got 0",
        ])
    }

    @Test func portsAndNetworkChecksOnlyOnService() {
        #expect(errorLines(manifest("Worker", spec: "command: x\nresources: {ports: 1}\nhealthCheck: {http: {path: /}}")) == [
            "app.yaml:7:22: spec.resources.ports: only a Service gets ports",
            "app.yaml:8:23: spec.healthCheck.http: only allowed on Service (a Worker has no ports); use a command check",
        ])
        #expect(errorLines(manifest("OnDemand", spec: "command: x\nhealthCheck: {command: \"true\"}")) == [
            "app.yaml:7:16: spec.healthCheck: only allowed on Service and Worker"
        ])
    }

    @Test func instancesPerKind() {
        #expect(errorLines(manifest("Service", spec: "command: x\ninstances: 0")) == [])
        #expect(errorLines(manifest("OnDemand", spec: "command: x\ninstances: 0")) == [
            "app.yaml:7:14: spec.instances: must be between 1 and 1000 for OnDemand, got 0"
        ])
        #expect(errorLines(manifest("Worker", spec: "command: x\ninstances: 1001")) == [
            "app.yaml:7:14: spec.instances: must be between 0 and 1000 for Worker, got 1001"
        ])
    }

    @Test func commandIsRequiredAndNotEmpty() {
        #expect(errorLines(manifest(spec: "instances: 1")) == [
            "app.yaml:1:1: spec.command: required field missing (or give spec.container)"
        ])
        #expect(errorLines(manifest(spec: "command: \"  \"")) == ["app.yaml:6:12: spec.command: must not be empty"])
        #expect(errorLines(manifest(spec: "command: []")) == [
            "app.yaml:6:12: spec.command: the list must start with a program to run"
        ])
        #expect(errorLines(manifest(spec: "container: {docker: {image: nginx}}")) == [])
    }

    @Test func cronSyntaxErrorsNameTheField() {
        func scheduleError(_ cron: String) -> String? {
            errorLines(manifest("Scheduled", spec: "command: x\nschedule: \"\(cron)\"")).first
        }
        #expect(scheduleError("61 * * * *") == "app.yaml:7:13: spec.schedule: invalid cron expression: minute field '61': 61 is out of range 0-59")
        #expect(scheduleError("* * * *") == "app.yaml:7:13: spec.schedule: invalid cron expression: expected 5 fields (minute hour day-of-month month day-of-week), got 4")
        #expect(scheduleError("* 5-2 * * *")?.hasSuffix("hour field '5-2': range 5-2 runs backwards") == true)
        #expect(scheduleError("* * * FOO *")?.contains("month field 'FOO'") == true)
        #expect(scheduleError("* * * * */0")?.contains("day-of-week field '*/0': step '0' must be a positive number") == true)
        #expect(scheduleError("0 9 * JAN-MAR MON-FRI") == nil)
    }

    @Test func timeZonesMustBeIANANames() {
        #expect(errorLines(manifest("Scheduled", spec: "command: x\nschedule: \"0 * * * *\"\ntimeZone: Europe/Berln")) == [
            #"app.yaml:8:13: spec.timeZone: unknown time zone "Europe/Berln"; did you mean 'Europe/Berlin'?"#
        ])
        #expect(errorLines(manifest("Scheduled", spec: "command: x\nschedule: \"0 * * * *\"\ntimeZone: America/New_York")) == [])
    }

    @Test func resourceBounds() {
        #expect(errorLines(manifest(spec: "command: x\nresources: {cpus: 0, memoryMb: 0, diskMb: -1, ports: 65}")) == [
            "app.yaml:7:21: spec.resources.cpus: must be greater than 0 and at most 512, got 0.0",
            "app.yaml:7:34: spec.resources.memoryMb: must be between 1 and 4194304, got 0",
            "app.yaml:7:45: spec.resources.diskMb: must be between 0 and 67108864, got -1",
            "app.yaml:7:56: spec.resources.ports: must be between 0 and 64, got 65",
        ])
        #expect(errorLines(manifest(spec: "command: x\nresources: {cpus: 1000}")).count == 1)
    }

    @Test func healthCheckPortIndexWithinDeclaredPorts() {
        #expect(errorLines(manifest(spec: "command: x\nhealthCheck: {http: {path: /health, port: 1}}")) == [
            "app.yaml:7:45: spec.healthCheck.http.port: port index 1 is out of range: spec.resources.ports is 1, so indexes 0-0"
        ])
        #expect(errorLines(manifest(spec: "command: x\nresources: {ports: 0}\nhealthCheck: {tcp: {port: 0}}")) == [
            "app.yaml:8:29: spec.healthCheck.tcp.port: port index 0 is out of range: the workload has no ports"
        ])
        #expect(errorLines(manifest(spec: "command: x\nresources: {ports: 2}\nhealthCheck: {tcp: {port: 1}}")) == [])
    }

    @Test func healthCheckProbeAndTimings() {
        #expect(errorLines(manifest(spec: "command: x\nhealthCheck: {tcp: {port: 0}, command: \"true\", intervalSeconds: 0}")) == [
            "app.yaml:7:16: spec.healthCheck: give only one of http, tcp or command, got tcp, command",
            "app.yaml:7:67: spec.healthCheck.intervalSeconds: must be at least 1, got 0",
        ])
        #expect(errorLines(manifest(spec: "command: x\nhealthCheck: {http: {path: health}}")) == [
            #"app.yaml:7:30: spec.healthCheck.http.path: must start with '/', got "health""#
        ])
    }

    @Test func deploySettings() {
        #expect(errorLines(manifest(spec: "command: x\ndeploy: {stepSize: 0, killGraceSeconds: -1}")) == [
            "app.yaml:7:22: spec.deploy.stepSize: must be at least 1, got 0",
            "app.yaml:7:43: spec.deploy.killGraceSeconds: must be at least 0, got -1",
        ])
    }

    @Test func envNames() {
        #expect(errorLines(manifest(spec: "command: x\nenv: {1BAD: x, GOOD_1: y}")) == [
            #"app.yaml:7:15: spec.env.1BAD: "1BAD" is not a valid environment variable name"#
        ])
    }

    @Test func containerNeedsAnImageAndValidMappings() {
        #expect(errorLines(manifest(spec: "command: x\ncontainer: {}")) == [
            "app.yaml:7:14: spec.container.docker: required field missing"
        ])
        #expect(errorLines(manifest(spec: "container: {docker: {image: nginx, portMappings: [{hostPort: 1, containerPort: 0}]}}")) == [
            "app.yaml:6:53: spec.container.docker.portMappings[0].containerPort: must be between 1 and 65535, got 0",
            "app.yaml:6:53: spec.container.docker.portMappings[0].hostPort: port index 1 is out of range: spec.resources.ports is 1",
        ])
    }

    @Test func placementAllowedAttributesNotEmpty() {
        #expect(errorLines(manifest(spec: "command: x\nplacement: {allowedAttributes: {rack: []}}")) == [
            "app.yaml:7:41: spec.placement.allowedAttributes.rack: must list at least one value"
        ])
    }

    @Test func maintenanceSelectors() {
        let yaml = """
            apiVersion: converge/v1
            kind: Maintenance
            metadata: {name: drain}
            spec:
              decommission:
                - hostname: ""
                - attributes: {}
                - {hostname: a, attributes: {rack: r1}}
                - {}
                - hostnme: a
            """
        #expect(errorLines(yaml) == [
            "app.yaml:6:17: spec.decommission[0].hostname: must not be empty",
            "app.yaml:7:19: spec.decommission[1].attributes: must name at least one attribute",
            "app.yaml:8:7: spec.decommission[2]: give exactly one of hostname or attributes",
            "app.yaml:9:7: spec.decommission[3]: give exactly one of hostname or attributes",
            "app.yaml:10:7: spec.decommission[4]: give exactly one of hostname or attributes",
            "app.yaml:10:7: spec.decommission[4].hostnme: unknown field; did you mean 'hostname'?",
        ])
    }

    @Test func twoDefaultsInOneFolderIsAnError() {
        let defaults = "apiVersion: converge/v1\nkind: Defaults\nspec: {instances: 2}\n"
        let set = load(["x/a.yaml": defaults, "x/b.yaml": defaults])
        #expect(set.errors.map(\.description) == [
            "x/b.yaml:1:1: kind: a second Defaults document in folder 'x'; the first is at x/a.yaml:1:1"
        ])
    }
}
