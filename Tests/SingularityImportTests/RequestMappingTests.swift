import Foundation
import Manifests
import Testing
@testable import SingularityImport

/// The simulator's realistic requests, converted and read back with Converge's own loader: every
/// mapped field is checked on the resulting Workload, every unmapped one in the report.
@Suite("Request mapping")
struct RequestMappingTests {
    let output: SingularityImport.Output
    let set: ManifestSet

    init() throws {
        (output, set) = try Fixtures.imported(try Fixtures.parents())
    }

    func workload(_ name: String) throws -> Workload {
        try #require(set.workloads[name], "no workload \(name); have \(set.workloads.keys.sorted())")
    }

    func notes(_ id: String) -> [String: String] {
        Dictionary((output.report.entry(id)?.notes ?? []).map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
    }

    @Test("the output validates and has one manifest per importable request")
    func validates() throws {
        #expect(set.errors.isEmpty, "\(set.errors)")
        #expect(set.workloads.count == output.files.count)
        #expect(output.report.importedCount == 14)
        #expect(output.report.entries.count == 21)
    }

    @Test("kinds follow requestType (inferred from daemon/schedule when absent)")
    func kinds() throws {
        #expect(try workload("billing-api").kind == .service)
        #expect(try workload("queue-consumer").kind == .worker)
        #expect(try workload("nightly-report").kind == .scheduled)
        #expect(try workload("reindex").kind == .onDemand)
        #expect(try workload("db-migrate").kind == .runOnce)
        #expect(try workload("legacy-daemon").kind == .worker)
    }

    @Test("a SingularityExecutor service: command, env, resources, artifacts, health check, steps, placement, user")
    func billing() throws {
        let w = try workload("billing-api")
        #expect(w.metadata.owners == ["team-billing@example.com", "oncall@example.com"])
        #expect(w.metadata.labels == ["singularityRequestId": "billing-api", "singularityGroup": "billing"])
        #expect(w.spec.instances == 3)
        #expect(w.spec.command == .shell("java $JAVA_OPTS -Dport=$PORT0 -jar billing-api.jar server conf.yml"))
        #expect(w.spec.env == ["JAVA_OPTS": "-Xmx1536m", "ENV": "prod"])
        #expect(w.spec.resources == Resources(cpus: 1, memoryMb: 2048, diskMb: 4096, ports: 2))
        #expect(w.spec.artifacts == [Artifact(uri: "https://artifacts.example.com/billing/conf.yml", extract: false)])
        #expect(w.spec.healthCheck == HealthCheck(
            probe: .http(path: "/healthcheck", port: 0), intervalSeconds: 5, timeoutSeconds: 5, gracePeriodSeconds: 65,
            consecutiveFailures: 4))
        #expect(w.spec.deploy == DeploySettings(stepSize: 1, stepWaitSeconds: 60, healthyDeadlineSeconds: 300, killGraceSeconds: 120))
        #expect(w.spec.deploy.canary == nil)
        #expect(w.spec.placement == Placement(
            spread: .separateHosts, rackSensitive: true, requiredAttributes: ["instance_type": "c5"],
            allowedAttributes: ["reserved": ["billing"]]))
        #expect(w.spec.user == "app")
        let n = notes("billing-api")
        for field in ["deploy.executorData.s3Artifacts", "deploy.executorData.maxTaskThreads", "request.loadBalanced",
                      "deploy.serviceBasePath", "deploy.healthcheck.failureStatusCodes", "request.taskPriorityLevel",
                      "request.readOnlyGroups", "deploy.customExecutorCmd", "request.allowedAgentAttributes",
                      "deploy.canaryDeploySettings.canaryCycleCount", "deploy.executorData.externalArtifacts[].md5sum"] {
            #expect(n[field] != nil, "no note for \(field): \(n.keys.sorted())")
        }
        // Deprecated aliases sent beside the new names are not reported twice.
        #expect(n["request.slavePlacement"] == nil && n["request.requiredSlaveAttributes"] == nil)
    }

    @Test("docker: image, network, parameters, port mappings by index, volumes; plain string URIs")
    func docker() throws {
        let w = try workload("singularity-test-service")
        #expect(w.spec.command == nil)
        #expect(w.spec.container == Container(docker: DockerContainer(
            image: "hubspot/singularity-test-service:1.0", network: .bridge, forcePullImage: true,
            parameters: ["ulimit": "nofile=65536"],
            portMappings: [.init(hostPort: 0, containerPort: 8081), .init(hostPort: 1, containerPort: 8080)],
            volumes: [.init(hostPath: "/etc/app", containerPath: "/etc/app", mode: "RO")])))
        #expect(w.spec.resources.ports == 2)
        #expect(w.spec.artifacts == [Artifact(uri: "https://example.com/example.yml")])
        #expect(w.spec.healthCheck?.probe == .http(path: "/healthcheck", port: 0))
    }

    @Test("argv commands, URI flags, deprecated flat health check fields, incremental steps; renamed on collision")
    func searchApi() throws {
        let entry = try #require(output.report.entry("Search_API.v2"))
        #expect(entry.renamed && entry.name.hasPrefix("search-api-v2-"))
        #expect(output.report.entry("search-api-v2")?.name == "search-api-v2")
        let w = try workload(entry.name)
        #expect(w.metadata.labels["singularityRequestId"] == "Search_API.v2")
        #expect(w.spec.command == .argv(["/usr/bin/search-api", "--port", "$PORT0", "--index", "/data/index dir"]))
        #expect(w.spec.resources.memoryMb == 4097)
        #expect(w.spec.artifacts == [
            Artifact(uri: "https://artifacts.example.com/search/index.tar.gz", extract: true, executable: false, cache: true),
            Artifact(uri: "https://artifacts.example.com/search/run.sh", extract: false, executable: true, cache: false),
        ])
        #expect(w.spec.healthCheck == HealthCheck(probe: .http(path: "/status", port: 0), intervalSeconds: 10, timeoutSeconds: 3,
                                                  gracePeriodSeconds: 30, consecutiveFailures: 6))
        #expect(w.spec.deploy.stepSize == 2 && w.spec.deploy.stepWaitSeconds == 2)
        // Steps advanced by hand in Singularity: a canary that waits for `converge promote`.
        #expect(w.spec.deploy.canary == CanarySettings(instances: 2, holdSeconds: 300, autoPromote: false))
        #expect(w.spec.placement.spread == .greedy)
        let n = notes("Search_API.v2")
        #expect(n["request.agentPlacement"]?.contains("OPTIMISTIC") == true)
        #expect(n["deploy.autoAdvanceDeploySteps"]?.contains("deploy.canary") == true)
        #expect(n["deploy.uris[1].outputFile"] != nil)
        #expect(n["deploy.healthcheckUri.uri"] != nil)
    }

    @Test("a health check on port index 1 raises ports; HTTPS, POST and a fixed port are reported")
    func portsForCheck() throws {
        let w = try workload("search-api-v2")
        #expect(w.spec.resources.ports == 2)
        #expect(w.spec.healthCheck?.probe == .http(path: "/ready", port: 1))
        let n = notes("search-api-v2")
        #expect(n["deploy.healthcheck.protocol"] != nil && n["deploy.healthcheck.method"] != nil)
        #expect(n["deploy.healthcheck.portNumber"] != nil && n["deploy.resources.numPorts"] != nil)
    }

    @Test("worker: multi-line shell kept byte for byte, file check as a command check, no ports, bad env keys dropped")
    func worker() throws {
        let w = try workload("queue-consumer")
        #expect(w.spec.command == .shell("set -e\nwhile true; do\n  ./consume --batch 100\n  sleep 1\ndone\n"))
        #expect(w.spec.healthCheck?.probe == .command(.shell("test -f alive")))
        #expect(w.spec.resources.ports == 0)
        #expect(w.spec.env == ["QUEUE": "payments", "LOG_LEVEL": "info"])
        #expect(w.spec.placement.spread == .spreadAllAgents)
        #expect(w.spec.user == "worker")
        let n = notes("queue-consumer")
        for field in ["deploy.env.bad-key", "deploy.resources.numPorts", "request.numRetriesOnFailure", "request.rackAffinity", "deploy.taskEnv"] {
            #expect(n[field] != nil, "no note for \(field)")
        }
    }

    @Test("scheduled jobs: schedule, time zone, retries, time limit")
    func scheduled() throws {
        let nightly = try workload("nightly-report")
        #expect(nightly.spec.schedule?.expression == "0 3 * * *")
        #expect(nightly.spec.timeZone == "US/Eastern")
        #expect(nightly.spec.retries == 2)
        #expect(nightly.spec.timeLimitSeconds == 7200)
        #expect(notes("nightly-report")["request.scheduledExpectedRuntimeMillis"] != nil)
        #expect(try workload("hourly-sync").spec.schedule?.expression == "15 * * * 1-5")
        #expect(try workload("hourly-sync").spec.timeZone == "Europe/Berlin")
        #expect(try workload("weekly-digest").spec.schedule?.daysOfWeek == [1, 3, 5])
        #expect(try workload("weekend-cleanup").spec.schedule?.daysOfWeek == [0, 6])
    }

    @Test("unconvertible schedules, unknown zones and deleting requests are not imported, with the reason")
    func skipped() {
        let reasons = [
            "every-30-seconds": "seconds", "month-end-close": "L = last day", "third-friday": "# = nth weekday",
            "new-year-2027": "years", "rrule-job": "RFC 5545", "bad-zone": "Mars/Olympus_Mons", "retired-service": "deleting",
        ]
        for (id, reason) in reasons {
            let entry = output.report.entry(id)
            #expect(entry?.path == nil, "\(id) was imported")
            #expect(entry?.skipped?.contains(reason) == true, "\(id): \(entry?.skipped ?? "nil")")
        }
        #expect(output.report.markdown.contains("**Not imported:**"))
    }

    @Test("jobs: ON_DEMAND argv and limits, RUN_ONCE shell with arguments quoted on")
    func jobs() throws {
        let reindex = try workload("reindex")
        #expect(reindex.spec.instances == 2)
        #expect(reindex.spec.command == .argv(["/usr/bin/reindex", "--full"]))
        #expect(reindex.spec.retries == 1)
        #expect(reindex.spec.timeLimitSeconds == 3601)
        #expect(try workload("db-migrate").spec.command == .shell("./migrate up --to 'v 5'"))
    }

    @Test("paused services come in with 0 instances; expiring actions are reported")
    func paused() throws {
        #expect(try workload("legacy-daemon").spec.instances == 0)
        #expect(notes("legacy-daemon")["state"]?.contains("PAUSED") == true)
        #expect(notes("edge-cases")["expiringScale"] != nil)
    }

    @Test("YAML-hostile env values and a command with trailing spaces survive")
    func edgeCases() throws {
        let w = try workload("edge-cases")
        #expect(w.spec.command == .shell("printf '%s\\n' \"a: b\" '#not a comment' && exec python3 -m http.server $PORT0  "))
        #expect(w.spec.env["YES"] == "yes" && w.spec.env["OCT"] == "0755" && w.spec.env["NUL"] == "null")
        #expect(w.spec.env["MULTI"] == "line1\n  line2\n\n" && w.spec.env["CRLF"] == "a\r\nb" && w.spec.env["EMPTY"] == "")
        #expect(w.metadata.owners == ["yes"])
    }

    @Test("--path-per owner and none")
    func paths() throws {
        let byOwner = Set(output.files.map(\.path))
        #expect(byOwner.contains("team-billing/billing-api.yaml"))
        #expect(byOwner.contains("data/nightly-report.yaml"))
        let flat = try SingularityImport.convert(try Fixtures.parents(), source: "t", options: .init(pathPer: .none, skipUndeployed: true))
        #expect(flat.files.allSatisfy { !$0.path.contains("/") })
        #expect(Set(flat.files.map(\.path)).count == flat.files.count)
    }

    @Test("the same input gives the same bytes")
    func deterministic() throws {
        let again = try SingularityImport.convert(try Fixtures.parents().reversed(), source: "test", options: .init(skipUndeployed: true))
        #expect(again.files == output.files)
        #expect(again.report.markdown == output.report.markdown)
    }

    @Test("a request without an active deploy fails the import unless --skip-undeployed")
    func missingDeploy() throws {
        var parents = try Fixtures.parents()
        let index = try #require(parents.firstIndex { $0.request.id == "billing-api" })
        parents[index].activeDeploy = nil
        #expect(throws: ImportError.missingDeploys(["billing-api"])) {
            try SingularityImport.convert(parents, source: "t", options: .init())
        }
        let skipped = try SingularityImport.convert(parents, source: "t", options: .init(skipUndeployed: true))
        #expect(skipped.report.entry("billing-api")?.skipped == "the request has no active deploy")
    }

    @Test("unknown fields are reported with their values; empty and false ones are not")
    func unknownFields() throws {
        let parent = try Fixtures.parent("""
            {"request": {"id": "w", "requestType": "WORKER", "maxScale": 9, "bounceAfterScale": false, "readWriteGroups": [],
                         "dataCenter": "dc2"},
             "activeDeploy": {"id": "1", "command": "x", "metadata": {"team": "a"}, "newFieldFromTheFuture": 1,
                              "containerInfo": {"type": "MESOS", "mesos": {"image": {"type": "DOCKER"}}}}}
            """)
        let result = try SingularityImport.convert([parent], source: "t", options: .init())
        let fields = Set(result.report.entries[0].notes.map(\.field))
        #expect(fields.isSuperset(of: ["request.maxScale", "request.dataCenter", "deploy.metadata", "deploy.newFieldFromTheFuture",
                                       "deploy.containerInfo.mesos"]))
        #expect(!fields.contains("request.bounceAfterScale") && !fields.contains("request.readWriteGroups"))
        #expect(result.report.entries[0].notes.first { $0.field == "request.dataCenter" }?.message.contains("\"dc2\"") == true)
    }
}
