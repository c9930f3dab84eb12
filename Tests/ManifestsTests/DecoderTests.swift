import Testing
@testable import Manifests

@Suite struct DecoderTests {
    @Test func decodesEveryFieldOfAService() throws {
        let yaml = """
            apiVersion: converge/v1
            kind: Service
            metadata:
              name: web
              owners: [team-web, sre]
              labels: {tier: frontend}
            spec:
              instances: 3
              command: python3 -m http.server $PORT0
              env: {LOG_LEVEL: info, PORT_HINT: 8080, DEBUG: false}
              resources: {cpus: 0.25, memoryMb: 64, diskMb: 10, ports: 2}
              artifacts:
                - {uri: "https://example.com/app.tar.gz", extract: false, executable: true, cache: true}
                - uri: https://example.com/b.bin
              container:
                docker:
                  image: "nginx:1.27"
                  network: BRIDGE
                  forcePullImage: true
                  parameters: {memory-swap: "-1"}
                  portMappings: [{hostPort: 0, containerPort: 80}]
                  volumes: [{hostPath: /data, containerPath: /srv, mode: RW}]
              healthCheck:
                http: {path: /health, port: 1}
                intervalSeconds: 7
                timeoutSeconds: 3
                gracePeriodSeconds: 40
                consecutiveFailures: 4
              deploy: {stepSize: 2, stepWaitSeconds: 5, healthyDeadlineSeconds: 300, killGraceSeconds: 10}
              placement:
                spread: separateHosts
                rackSensitive: true
                requiredAttributes: {zone: us-east-1a}
                allowedAttributes: {instanceType: [m5.large, m5.xlarge]}
              user: www
            """
        let set = load(["services/web.yaml": yaml])
        #expect(set.errors == [])
        let web = try #require(set.workloads["web"])
        #expect(web.kind == .service)
        #expect(web.metadata == Metadata(name: "web", owners: ["team-web", "sre"], labels: ["tier": "frontend"]))
        #expect(web.source == SourceLocation(file: "services/web.yaml", line: 1, column: 1))
        let spec = web.spec
        #expect(spec.instances == 3)
        #expect(spec.command == .shell("python3 -m http.server $PORT0"))
        #expect(spec.env == ["LOG_LEVEL": "info", "PORT_HINT": "8080", "DEBUG": "false"])
        #expect(spec.resources == Resources(cpus: 0.25, memoryMb: 64, diskMb: 10, ports: 2))
        #expect(spec.artifacts == [
            Artifact(uri: "https://example.com/app.tar.gz", extract: false, executable: true, cache: true),
            Artifact(uri: "https://example.com/b.bin"),
        ])
        #expect(spec.container == Container(docker: DockerContainer(
            image: "nginx:1.27", network: .bridge, forcePullImage: true, parameters: ["memory-swap": "-1"],
            portMappings: [.init(hostPort: 0, containerPort: 80)],
            volumes: [.init(hostPath: "/data", containerPath: "/srv", mode: "RW")])))
        #expect(spec.healthCheck == HealthCheck(
            probe: .http(path: "/health", port: 1), intervalSeconds: 7, timeoutSeconds: 3, gracePeriodSeconds: 40,
            consecutiveFailures: 4))
        #expect(spec.deploy == DeploySettings(stepSize: 2, stepWaitSeconds: 5, healthyDeadlineSeconds: 300, killGraceSeconds: 10))
        #expect(spec.placement == Placement(
            spread: .separateHosts, rackSensitive: true, requiredAttributes: ["zone": "us-east-1a"],
            allowedAttributes: ["instanceType": ["m5.large", "m5.xlarge"]]))
        #expect(spec.user == "www")
        #expect(web.deployId.count == 12)
        #expect(web.templateHash.hasPrefix(web.deployId))
    }

    @Test func defaultsForOmittedFields() throws {
        let set = load(["a.yaml": manifest("Service", name: "web"), "b.yaml": manifest("Worker", name: "w")])
        #expect(set.errors == [])
        let web = try #require(set.workloads["web"]).spec
        #expect(web.instances == 1)
        #expect(web.resources == Resources(cpus: 0.1, memoryMb: 128, diskMb: 0, ports: 1))
        #expect(web.deploy == DeploySettings(stepSize: 1, stepWaitSeconds: 0, healthyDeadlineSeconds: 120, killGraceSeconds: 30))
        #expect(web.placement == Placement())
        #expect(web.healthCheck == nil && web.container == nil && web.artifacts.isEmpty && web.user == nil)
        #expect(web.timeZone == "UTC" && web.retries == 0 && web.timeLimitSeconds == nil)
        #expect(try #require(set.workloads["w"]).spec.resources.ports == 0)
    }

    @Test func everyKindAndMultipleDocuments() throws {
        let yaml = """
            apiVersion: converge/v1
            kind: Service
            metadata: {name: web}
            spec: {command: "sleep 100"}
            ---
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: consumer}
            spec: {command: [sh, -c, "sleep 100"], healthCheck: {command: "true"}}
            ---
            apiVersion: converge/v1
            kind: Scheduled
            metadata: {name: report}
            spec: {command: "echo hi", schedule: "*/15 * * * *", timeZone: Europe/Berlin, retries: 2, timeLimitSeconds: 60}
            ---
            apiVersion: converge/v1
            kind: OnDemand
            metadata: {name: reindex}
            spec: {command: "echo reindex", instances: 2}
            ---
            apiVersion: converge/v1
            kind: RunOnce
            metadata: {name: migrate}
            spec: {command: "echo migrate"}
            ---
            apiVersion: converge/v1
            kind: Maintenance
            metadata: {name: rack-7}
            spec:
              decommission:
                - hostname: agent-3.example.com
                - attributes: {rack: r7}
            ---
            """
        let set = load(["all.yaml": yaml])
        #expect(set.errors == [])
        #expect(set.documentCount == 6)
        #expect(set.workloads.mapValues(\.kind) == [
            "web": .service, "consumer": .worker, "report": .scheduled, "reindex": .onDemand, "migrate": .runOnce,
        ])
        #expect(set.workloads["consumer"]?.spec.command == .argv(["sh", "-c", "sleep 100"]))
        #expect(set.workloads["consumer"]?.spec.healthCheck?.probe == .command(.shell("true")))
        let report = try #require(set.workloads["report"])
        #expect(report.spec.schedule?.minutes == [0, 15, 30, 45])
        #expect(report.spec.timeZone == "Europe/Berlin")
        #expect(report.spec.retries == 2 && report.spec.timeLimitSeconds == 60)
        #expect(report.source.line == 11)
        #expect(set.maintenance == [Maintenance(
            metadata: Metadata(name: "rack-7"),
            decommission: [.hostname("agent-3.example.com"), .attributes(["rack": "r7"])],
            source: SourceLocation(file: "all.yaml", line: 26, column: 1))])
        #expect(set.decommission.count == 2)
    }

    @Test func typeErrorNamesFileLineColumnPathAndValue() {
        let yaml = manifest(spec: "command: sleep 1\nresources:\n  cpus: lots\n  memoryMb: 1.5\ninstances: \"3\"")
        #expect(errorLines(yaml, path: "services/web.yaml") == [
            #"services/web.yaml:8:11: spec.resources.cpus: expected a number, got "lots""#,
            #"services/web.yaml:9:15: spec.resources.memoryMb: expected an integer, got "1.5""#,
            #"services/web.yaml:10:14: spec.instances: expected an integer, got "3" (quoted, so a string)"#,
        ])
    }

    @Test func unknownFieldsSuggestTheClosestName() {
        let yaml = manifest(spec: "command: sleep 1\ninstance: 3\nresources: {memoryMB: 64, zzz: 1}\nhealthCheck: {htp: {path: /}}")
        #expect(errorLines(yaml) == [
            "app.yaml:7:3: spec.instance: unknown field; did you mean 'instances'?",
            "app.yaml:8:15: spec.resources.memoryMB: unknown field; did you mean 'memoryMb'?",
            "app.yaml:8:29: spec.resources.zzz: unknown field; expected one of cpus, memoryMb, diskMb, ports, memorySoftLimit",
            "app.yaml:9:16: spec.healthCheck: give one of http, tcp or command",
            "app.yaml:9:17: spec.healthCheck.htp: unknown field; did you mean 'http'?",
        ])
    }

    @Test func unknownKindAndTopLevelField() {
        let yaml = "apiVersion: converge/v1\nkind: Servce\nmetadata: {name: web}\nspecs: {}\n"
        #expect(errorLines(yaml) == [
            #"app.yaml:2:7: kind: unknown value "Servce"; did you mean 'Service'?"#,
            "app.yaml:4:1: specs: unknown field; did you mean 'spec'?",
        ])
    }

    @Test func wrongEnumValueAndStructure() {
        let yaml = manifest(spec: "command: {sh: x}\nplacement: {spread: everywhere}\nenv: [A]")
        #expect(errorLines(yaml) == [
            #"app.yaml:6:12: spec.command: expected a string (run by /bin/sh -c) or a list (exec'd), got a mapping"#,
            #"app.yaml:7:23: spec.placement.spread: unknown value "everywhere"; expected one of balanced, greedy, separateHosts, spreadAllAgents"#,
            "app.yaml:8:8: spec.env: expected a mapping, got a list",
        ])
    }

    @Test func duplicateKeysAreErrors() {
        let yaml = manifest(spec: "command: a\ncommand: b")
        #expect(errorLines(yaml) == ["app.yaml:7:3: spec.command: duplicate key (first at line 6)"])
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let yaml = """
            apiVersion: converge/v1
            kind: Service
            metadata: {name: web}
            spec:
              command: sleep 1
              env: &common {A: "1", B: "2"}
              placement:
                requiredAttributes:
                  <<: *common
                  B: "3"
            """
        let set = load(["a.yaml": yaml])
        #expect(set.errors == [])
        #expect(set.workloads["web"]?.spec.placement.requiredAttributes == ["A": "1", "B": "3"])
    }

    @Test func nullMeansAbsent() throws {
        let set = load(["a.yaml": manifest(spec: "command: sleep 1\ninstances: ~\nenv:\nuser: null")])
        #expect(set.errors == [])
        #expect(set.workloads["web"]?.spec.instances == 1)
    }

    @Test func syntaxErrorsKeepEarlierDocumentsAndOtherFiles() {
        let bad = manifest(name: "one") + "---\napiVersion: converge/v1\nkind: [unclosed\n"
        let set = load(["bad.yaml": bad, "good.yaml": manifest(name: "two")])
        #expect(set.errors.count == 1)
        #expect(set.errors[0].file == "bad.yaml")
        #expect(set.errors[0].message.hasPrefix("invalid YAML"))
        #expect(set.workloads["one"] != nil && set.workloads["two"] != nil)
    }

    @Test func allErrorsOfTheRepositoryAreReportedSorted() {
        let set = load([
            "b.yaml": manifest(spec: "command: sleep 1\ninstances: -1", ).replacingOccurrences(of: "web", with: "bee"),
            "a.yaml": manifest(spec: "command: sleep 1\nresources: {cpus: 0}"),
            "c.yaml": "apiVersion: converge/v2\nkind: Worker\nmetadata: {name: Bad_Name}\nspec: {}\n",
        ])
        #expect(set.errors.map(\.file) == ["a.yaml", "b.yaml", "c.yaml", "c.yaml", "c.yaml"])
        #expect(set.errors == set.errors.sorted())
    }

    @Test func manifestPathFilter() {
        #expect(ManifestFile.isManifestPath("services/web.yaml"))
        #expect(ManifestFile.isManifestPath("a.yml"))
        #expect(!ManifestFile.isManifestPath("README.md"))
        #expect(!ManifestFile.isManifestPath(".github/workflows/ci.yaml"))
    }
}
