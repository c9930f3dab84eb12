import Foundation
import Manifests
import Mesos
import Testing
@testable import Scheduler

/// Task ids, labels and TaskInfo building: pure, no cluster.
@Suite struct TaskInfoBuilderTests {
    @Test func taskIDsRoundTripThroughParsingAndLabels() throws {
        let fire = Date(timeIntervalSince1970: 1_760_000_000)
        let run = TaskIdentity(slot: SlotID(service: "nightly-report", instance: 2), deployID: "0123456789ab-b1760000001",
                               kind: .scheduled, fireTime: fire, attempt: 3)
        let id = run.makeTaskID()
        let parsed = try #require(TaskIdentity(taskID: id))
        #expect(parsed.slot == run.slot)
        #expect(parsed.deployID == run.deployID)
        #expect(parsed.fireTime == fire)
        #expect(parsed.attempt == 3)
        #expect(run.makeTaskID() != id)

        let labels = run.labels(commit: "abc", requestHash: "req")
        #expect(labels[TaskLabels.service] == "nightly-report")
        #expect(labels[TaskLabels.kind] == "Scheduled")
        #expect(labels[TaskLabels.fireTime] == "1760000000")
        #expect(labels[TaskLabels.attempt] == "3")
        #expect(labels[TaskLabels.commit] == "abc")
        let fromLabels = try #require(TaskIdentity(labels: labels.labels, taskID: "not-parseable"))
        #expect(fromLabels == run)

        let service = TaskIdentity(slot: SlotID(service: "web", instance: 0), deployID: "d1", kind: .service)
        let serviceID = service.makeTaskID()
        #expect(TaskIdentity(taskID: serviceID)?.fireTime == nil)
        #expect(TaskIdentity(taskID: serviceID)?.slot == service.slot)
        for bad in ["", "web", "web.d1", "web.d1.x.y", ".d1.0.abc", "web.d1.-1.abc"] {
            #expect(TaskIdentity(taskID: bad) == nil, "\(bad)")
        }
    }

    @Test func buildsCommandEnvironmentHealthCheckKillPolicyAndLabels() throws {
        let web = try workload("""
            apiVersion: converge/v1
            kind: Service
            metadata: {name: web}
            spec:
              instances: 2
              command: "exec server --port $PORT0"
              env: {MODE: production}
              resources: {cpus: 0.5, memoryMb: 256, diskMb: 100, ports: 2}
              artifacts: [{uri: "https://example.com/app.tgz"}, {uri: "file:///opt/tool", extract: false, executable: true}]
              healthCheck: {http: {path: /ready, port: 1}, intervalSeconds: 3, timeoutSeconds: 1, gracePeriodSeconds: 20, consecutiveFailures: 4}
              deploy: {killGraceSeconds: 12}
            """)
        let placement = Placement(slot: SlotID(service: "web", instance: 1), deployID: web.deployId, agentID: "agent-1",
                                  hostname: "10.0.0.1", role: "*", offerIDs: ["o1"],
                                  resources: ResourceAmounts(cpus: 0.5, memMb: 256, diskMb: 100), ports: [31005, 31007],
                                  score: 0, scores: [])
        let identity = TaskIdentity(slot: placement.slot, deployID: web.deployId, kind: .service)
        let info = TaskInfoBuilder.build(.init(taskID: "web.x.1.abc", identity: identity, workload: web, placement: placement,
                                               commit: "c0ffee", trigger: nil))
        #expect(info.taskID.value == "web.x.1.abc")
        #expect(info.agentID.value == "agent-1")
        let command = try #require(info.command)
        #expect(command.shell)
        #expect(command.value == "exec server --port $PORT0")
        let env = Dictionary(uniqueKeysWithValues: (command.environment?.variables ?? []).map { ($0.name, $0.value ?? "") })
        #expect(env == ["MODE": "production", "PORT": "31005", "PORT0": "31005", "PORT1": "31007", "PORTS": "31005,31007"])
        #expect(command.uris.map(\.value) == ["https://example.com/app.tgz", "file:///opt/tool"])
        #expect(command.uris[1].executable == true && command.uris[1].extract == false)
        let check = try #require(info.healthCheck)
        #expect(check.type == .http)
        #expect(check.http?.port == 31007)
        #expect(check.http?.path == "/ready")
        #expect(check.intervalSeconds == 3 && check.timeoutSeconds == 1 && check.gracePeriodSeconds == 20)
        #expect(check.consecutiveFailures == 4)
        #expect(info.killPolicy?.gracePeriod?.seconds == 12)
        #expect(info.labels?[TaskLabels.deploy] == web.deployId)
        #expect(info.labels?[TaskLabels.instance] == "1")
        #expect(info.labels?[TaskLabels.commit] == "c0ffee")
        #expect(info.labels?[TaskLabels.request] == web.requestHash)
        let resources = FlatResources(info.resources)
        #expect(resources.cpus == 0.5 && resources.mem == 256 && resources.disk == 100)
        #expect(resources.ports == [31005...31005, 31007...31007])
    }

    @Test func triggerArgumentsAreQuotedForShellsAndAppendedToArgv() {
        let shell = TaskInfoBuilder.commandInfo(.shell("report"), extraArguments: ["--day", "it's; rm -rf /", "$HOME"])
        #expect(shell.value == #"report '--day' 'it'\''s; rm -rf /' '$HOME'"#)
        let argv = TaskInfoBuilder.commandInfo(.argv(["/bin/report", "-v"]), extraArguments: ["x y"])
        #expect(argv.shell == false)
        #expect(argv.value == "/bin/report")
        #expect(argv.arguments == ["/bin/report", "-v", "x y"])
    }
}
