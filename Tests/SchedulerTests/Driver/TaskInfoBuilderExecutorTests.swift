import Foundation
import Manifests
import Mesos
import Testing
@testable import Scheduler

/// TaskInfo under the Converge executor (`--executor`): pure, no cluster.
@Suite struct TaskInfoBuilderExecutorTests {
    func web(_ extra: String = "") throws -> Workload {
        try workload("""
            apiVersion: converge/v1
            kind: Service
            metadata: {name: web}
            spec:
              command: "exec server --port $PORT0"
              env: {MODE: production}
              resources: {cpus: 0.5, memoryMb: 256, diskMb: 100, ports: 2, memorySoftLimit: 0.8}
              artifacts:
                - {uri: "https://example.com/app.tgz", sha256: "\(String(repeating: "ab", count: 32))"}
                - {uri: "file:///opt/tool", extract: false, executable: true}
              healthCheck: {http: {path: /ready, port: 1}, intervalSeconds: 3}
              deploy: {killGraceSeconds: 12}
              logs: {maxSizeMb: 4, keep: 2, compress: false}
            \(extra)
            """)
    }

    /// The placement reserved task + executor (as pendingLaunch asks).
    func placement(_ workload: Workload, executor: ExecutorConfiguration) -> Scheduler.Placement {
        Scheduler.Placement(slot: SlotID(service: "web", instance: 1), deployID: workload.deployId, agentID: "agent-1",
                  hostname: "10.0.0.1", role: "prod", offerIDs: ["o1"],
                  resources: ResourceAmounts(cpus: 0.5, memMb: 256, diskMb: 100) + executor.resources, ports: [31005, 31007],
                  score: 0, scores: [])
    }

    func build(_ workload: Workload, executor: ExecutorConfiguration?) -> TaskInfo {
        let executorForPlacement = executor ?? (try! ExecutorConfiguration(location: "/x"))
        var place = placement(workload, executor: executorForPlacement)
        if executor == nil { place.resources = ResourceAmounts(cpus: 0.5, memMb: 256, diskMb: 100) }
        let identity = TaskIdentity(slot: place.slot, deployID: workload.deployId, kind: .service)
        return TaskInfoBuilder.build(.init(taskID: "web.x.1.abc", identity: identity, workload: workload, placement: place,
                                           commit: "c0ffee", trigger: nil, executor: executor, frameworkID: "fw-1"))
    }

    @Test func aPathExecutorCarriesTheCommandInData() throws {
        let executor = try ExecutorConfiguration(location: "/opt/converge/converge-executor")
        let workload = try web()
        let info = build(workload, executor: executor)
        #expect(info.command == nil)
        let custom = try #require(info.executor)
        #expect(custom.type == "CUSTOM")
        #expect(custom.executorID.value == "converge-web.x.1.abc")
        #expect(custom.frameworkID?.value == "fw-1")
        #expect(custom.command?.value == "/opt/converge/converge-executor")
        #expect(custom.command?.shell == false)
        #expect(custom.command?.uris.isEmpty == true)
        let own = FlatResources(custom.resources)
        #expect(own.cpus == 0.05 && own.mem == 32 && own.disk == 0)
        #expect(custom.resources.allSatisfy { $0.allocationInfo?.role == "prod" })
        // The task keeps exactly its own resources and ports.
        let task = FlatResources(info.resources)
        #expect(abs(task.cpus - 0.5) < 1e-9 && task.mem == 256 && task.disk == 100)
        #expect(task.ports == [31005...31005, 31007...31007])

        let data = try ExecutorTaskData(taskData: try #require(info.data))
        #expect(data.command.value == "exec server --port $PORT0")
        #expect(data.command.shell)
        #expect(data.command.uris.isEmpty)
        let env = Dictionary(uniqueKeysWithValues: (data.command.environment?.variables ?? []).map { ($0.name, $0.value ?? "") })
        #expect(env == ["MODE": "production", "PORT": "31005", "PORT0": "31005", "PORT1": "31007", "PORTS": "31005,31007"])
        #expect(data.artifacts.map(\.uri) == ["https://example.com/app.tgz", "file:///opt/tool"])
        #expect(data.artifacts[0].sha256 == String(repeating: "ab", count: 32))
        #expect(data.artifacts[0].cache)            // a checksum makes the cache safe
        #expect(!data.artifacts[1].cache && data.artifacts[1].executable && !data.artifacts[1].extract)
        #expect(data.healthCheck?.http?.port == 31007)
        #expect(data.healthCheck?.http?.path == "/ready")
        #expect(data.logs == ExecutorTaskData.LogPolicy(maxSizeMB: 4, keep: 2, compress: false))
        #expect(data.memoryMB == 256)
        #expect(data.memorySoftLimit == 0.8)
        #expect(data.killGraceSeconds == 12)
        #expect(data.service == "web")
        // Labels and kill policy as with the command executor, so adoption and kills work alike.
        let plain = build(workload, executor: nil)
        #expect(info.labels == plain.labels)
        #expect(info.killPolicy == plain.killPolicy)
        #expect(info.name == plain.name)
    }

    @Test func aURIExecutorIsFetchedAndCached() throws {
        let executor = try ExecutorConfiguration(location: "https://downloads.example.com/converge-executor")
        let custom = try #require(build(try web(), executor: executor).executor)
        #expect(custom.command?.value == "./converge-executor")
        #expect(custom.command?.shell == false)
        let uri = try #require(custom.command?.uris.first)
        #expect(uri.value == "https://downloads.example.com/converge-executor")
        #expect(uri.executable == true && uri.cache == true && uri.outputFile == "converge-executor")
    }

    @Test func commandOptOutAndContainersKeepTheCommandExecutor() throws {
        let executor = try ExecutorConfiguration(location: "/opt/converge-executor")
        let optedOut = build(try web("  executor: command"), executor: executor)
        #expect(optedOut.executor == nil)
        #expect(optedOut.command?.value == "exec server --port $PORT0")
        #expect(optedOut.data == nil)
        #expect(TaskInfoBuilder.executor(for: try web("  executor: command"), configured: executor) == nil)
        let docker = try web("  container: {docker: {image: nginx}}")
        #expect(TaskInfoBuilder.executor(for: docker, configured: executor) == nil)
        #expect(TaskInfoBuilder.executor(for: try web(), configured: nil) == nil)
        #expect(TaskInfoBuilder.executor(for: try web(), configured: executor) == executor)
    }

    @Test func executorLocationsAreChecked() {
        #expect(throws: ExecutorConfigurationError.self) { try ExecutorConfiguration(location: "converge-executor") }
        #expect(throws: ExecutorConfigurationError.self) { try ExecutorConfiguration(location: "ftp://host/x") }
        #expect(throws: ExecutorConfigurationError.self) { try ExecutorConfiguration(location: "/x", cpus: 0) }
        #expect((try? ExecutorConfiguration(location: "file:///opt/x"))?.isFetched == true)
        #expect((try? ExecutorConfiguration(location: "/opt/x"))?.isFetched == false)
    }

    @Test func theLogArchiveSettingsTravelWithoutCredentials() throws {
        var executor = try ExecutorConfiguration(location: "/opt/converge/converge-executor")
        executor.logArchive = ExecutorTaskData.LogArchive(bucket: "logs", prefix: "prod/tasks", endpoint: "http://127.0.0.1:9000",
                                                          region: "eu-west-1")
        let info = build(try web(), executor: executor)
        let bytes = try #require(info.data)
        let data = try ExecutorTaskData(taskData: bytes)
        #expect(data.service == "web")
        #expect(data.logArchive == ExecutorTaskData.LogArchive(bucket: "logs", prefix: "prod/tasks", endpoint: "http://127.0.0.1:9000",
                                                                region: "eu-west-1"))
        // Exactly these four settings: no credentials, no credentials file.
        let json = try #require(try JSONSerialization.jsonObject(with: bytes.data) as? [String: Any])
        let archive = try #require(json["log_archive"] as? [String: Any])
        #expect(Set(archive.keys) == ["bucket", "prefix", "endpoint", "region"])
        let text = String(decoding: bytes.data, as: UTF8.self).lowercased()
        for secret in ["secret", "access_key", "session_token", "credentials", "aws_"] { #expect(!text.contains(secret)) }

        // Without --log-archive there is no archive block at all.
        let plain = try ExecutorTaskData(taskData: try #require(build(try web(), executor: try ExecutorConfiguration(location: "/x")).data))
        #expect(plain.logArchive == nil)
    }
}
