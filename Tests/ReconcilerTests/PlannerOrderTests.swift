import Foundation
import GitSource
import Testing
@testable import Reconciler

/// A manifest with every kind of field, lists of more than ten items (whose paths sort `[10]`
/// before `[2]`), keys that sort differently as paths than as keys (`rack` and `rack-x`), secrets
/// in env, and non-ASCII keys.
private let richService = """
    apiVersion: converge/v1
    kind: Service
    metadata:
      name: rich
      owners: [o0, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, o11, o12]
      labels: {"clé": "v", "ÜBER": "x", "env.ſecret": "hidden", "env.token": "t", tier: "a|b", "a.b": "1"}
    spec:
      instances: 3
      command: [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, "tab\\there", "ünï"]
      env: {LOG_LEVEL: info, DB_PASSWORD: hunter2, api_token: t0k3n, MyKey: k, NUMBER: "42", BOOL: "false"}
      resources: {cpus: 0.5, memoryMb: 256, diskMb: 10, ports: 2}
      artifacts:
        - {uri: "https://e.com/0.tgz", extract: true, executable: false, cache: true}
        - {uri: "https://e.com/1.tgz"}
        - {uri: "https://e.com/2.tgz"}
        - {uri: "https://e.com/3.tgz"}
        - {uri: "https://e.com/4.tgz"}
        - {uri: "https://e.com/5.tgz"}
        - {uri: "https://e.com/6.tgz"}
        - {uri: "https://e.com/7.tgz"}
        - {uri: "https://e.com/8.tgz"}
        - {uri: "https://e.com/9.tgz"}
        - {uri: "https://e.com/10.tgz"}
      container:
        docker:
          image: "123"
          network: BRIDGE
          parameters: {env: "SECRET=1", "env.API_KEY": "x", label: "a=b"}
          portMappings: [{hostPort: 0, containerPort: 80, protocol: tcp}]
          volumes: [{hostPath: /data, containerPath: /data, mode: RO}]
      healthCheck:
        command: [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11]
        intervalSeconds: 7
      deploy: {stepSize: 2}
      placement:
        spread: separateHosts
        requiredAttributes: {"zöne": "ü", zone: z1, "rack-x": "1", rack: r}
        allowedAttributes: {rack: [r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11], rack-x: [a]}
      user: nobody

    """

@Suite struct PlannerOrderTests {
    private func richView() throws -> (ClusterView, TempRepository) {
        let repo = try TempRepository()
        try repo.write("apps/rich.yaml", richService)
        let commit = try repo.commit("rich")
        let loaded = try ManifestLoader(cache: ManifestCache())
            .load(repository: try GitRepository.open(path: repo.path), ref: commit, path: nil)
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return (try #require(loaded.view), repo)
    }

    /// A create from a manifest lists what the general diff against nothing lists, in the same order:
    /// every field sorted byte-wise by path, secrets masked.
    @Test func createFromManifestEqualsDiffAgainstNothing() throws {
        let (view, repo) = try richView()
        defer { withExtendedLifetime(repo) {} }
        let state = try #require(view.workloads["rich"])
        let change = try #require(Planner.plan(desired: view, actual: .empty).creates.first)
        #expect(change.fields == Planner.fieldChanges(from: [:], to: state.fields))
        let paths = change.fields.map(\.path)
        #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(Set(paths).count == paths.count)

        func index(_ path: String) throws -> Int { try #require(paths.firstIndex(of: path), "\(path)") }
        // Lists of more than ten items: byte order, so [10] sorts before [2].
        #expect(try index("metadata.owners[10]") < index("metadata.owners[2]"))
        #expect(try index("spec.command[11]") < index("spec.command[2]"))
        #expect(try index("spec.artifacts[10].uri") < index("spec.artifacts[1].cache"))
        #expect(try index("spec.healthCheck.command[10]") < index("spec.healthCheck.command[9]"))
        #expect(try index("spec.placement.allowedAttributes.rack[10]") < index("spec.placement.allowedAttributes.rack[1]"))
        // `-` sorts before `[`: the path order is not the key order.
        #expect(try index("spec.placement.allowedAttributes.rack-x[0]") < index("spec.placement.allowedAttributes.rack[0]"))
        #expect(try index("spec.placement.requiredAttributes.zone") < index("spec.placement.requiredAttributes.zöne"))
        #expect(try index("spec.instances") < index("spec.placement.spread"))

        let byPath = Dictionary(uniqueKeysWithValues: change.fields.map { ($0.path, $0.after) })
        for key in ["DB_PASSWORD", "api_token", "MyKey"] {
            #expect(byPath["spec.env.\(key)"] == SecretMasking.placeholder, "\(key)")
        }
        #expect(byPath["spec.env.LOG_LEVEL"] == .string("info"))
        #expect(byPath["spec.env.NUMBER"] == .string("42"))
        // The key after the last `env` component decides, whatever the prefix (U+017F upper-cases to S).
        #expect(byPath["metadata.labels.env.ſecret"] == SecretMasking.placeholder)
        #expect(byPath["metadata.labels.env.token"] == SecretMasking.placeholder)
        #expect(byPath["spec.container.docker.parameters.env.API_KEY"] == SecretMasking.placeholder)
        #expect(byPath["spec.container.docker.parameters.env"] == .string("SECRET=1"))
        #expect(byPath["metadata.labels.clé"] == .string("v"))
        #expect(byPath["spec.container.docker.image"] == .number("123"))
        #expect(byPath["spec.instances"] == .number("3"))
        #expect(!String(describing: change).contains("hunter2") && !String(describing: change).contains("t0k3n"))
    }

    /// A desired workload's hashes are computed when first asked for, and are then the manifest's:
    /// the create's deploy id, the state's ids, and a set value wins over the computed one.
    @Test func hashesOnDemandAreTheManifests() throws {
        let repo = try TempRepository()
        try repo.write("apps/rich.yaml", richService)
        let loaded = try ManifestLoader(cache: ManifestCache())
            .load(repository: try GitRepository.open(path: repo.path), ref: try repo.commit("rich"), path: nil)
        let view = try #require(loaded.view)
        let workload = try #require(loaded.manifests?.workloads["rich"])
        var state = try #require(view.workloads["rich"])
        #expect(state.deployId == workload.deployId && state.deployId.count == 12)
        #expect(state.requestHash == workload.requestHash && state.requestHash.count == 64)
        var change = try #require(Planner.plan(desired: view, actual: .empty).creates.first)
        #expect(change.deployIdAfter == workload.deployId && change.deployIdBefore == nil)
        change.deployIdAfter = nil
        #expect(change.deployIdAfter == nil)
        state.deployId = "d1"
        state.requestHash = "r1"
        #expect(state.deployId == "d1" && state.requestHash == "r1")
        // Against itself nothing changes; against a different deploy id it is a deploy.
        #expect(Planner.plan(desired: view, actual: view).isEmpty)
        var rescaled = view
        rescaled.workloads["rich"]?.instances = 5
        #expect(Planner.plan(desired: view, actual: rescaled).scales.map(\.name) == ["rich"])
        var other = view
        other.workloads["rich"] = state
        #expect(Planner.plan(desired: view, actual: other).deploys.map(\.name) == ["rich"])
    }

    /// Fields given as values (the controller's actual side) are sorted too.
    @Test func createFromValuesIsSorted() throws {
        var fields: [String: FieldValue] = [:]
        for i in 0..<12 { fields["metadata.owners[\(i)]"] = .string("o\(i)") }
        fields["spec.env.API_TOKEN"] = .string("secret")
        fields["kind"] = .string("Service")
        let state = WorkloadState(name: "w", kind: "Service", deployId: "d", requestHash: "r", instances: 1, fields: fields)
        let change = try #require(Planner.plan(desired: ClusterView(workloads: [state]), actual: .empty).creates.first)
        #expect(change.fields.map(\.path) == ["kind"] + ["0", "10", "11", "1", "2", "3", "4", "5", "6", "7", "8", "9"].map {
            "metadata.owners[\($0)]"
        } + ["spec.env.API_TOKEN"])
        #expect(change.fields.last?.after == SecretMasking.placeholder)
    }

    @Test func pathOrderPermutation() {
        #expect(PathOrder.permutation(["a", "b", "b.c"]) == nil)
        #expect(PathOrder.permutation([String]()) == nil)
        #expect(PathOrder.permutation(["b", "a[10]", "a[2]", "a", "a-x"]) == [3, 4, 1, 2, 0])
        #expect(PathOrder.permutation(["é", "z", "e\u{301}"]) == [2, 1, 0])
    }

    /// `changes` merges the per-action lists by name, byte-wise, without re-sorting.
    @Test func changesMergeByName() {
        var plan = Plan()
        plan.creates = ["b", "d", "x"].map { WorkloadChange(name: $0, kind: "Service", action: .create) }
        plan.deletes = ["a", "c", "z"].map { WorkloadChange(name: $0, kind: "Service", action: .delete) }
        plan.scales = ["e"].map { WorkloadChange(name: $0, kind: "Worker", action: .scale) }
        #expect(plan.changes.map(\.name) == ["a", "b", "c", "d", "e", "x", "z"])
        plan.deletes = []
        plan.scales = []
        #expect(plan.changes.map(\.name) == ["b", "d", "x"])
        // Lists not in order (built by hand) are still sorted.
        plan.updates = ["c", "a"].map { WorkloadChange(name: $0, kind: "Service", action: .update) }
        #expect(plan.changes.map(\.name) == ["a", "b", "c", "d", "x"])
    }
}

@Suite struct SecretPathTests {
    @Test func theKeyFollowsTheLastEnvComponent() {
        #expect(SecretMasking.isSensitive(path: "spec.container.docker.env.API_TOKEN"))
        #expect(SecretMasking.isSensitive(path: "env.KEY"))
        #expect(SecretMasking.isSensitive(path: "spec.env.A.B_SECRET"))
        #expect(SecretMasking.isSensitive(path: "spec.env.PLAIN.env.MY_KEY"))
        #expect(!SecretMasking.isSensitive(path: "spec.env.MY_KEY.env.PLAIN"))
        #expect(!SecretMasking.isSensitive(path: "spec.env.MY_KEY.env"))
        #expect(!SecretMasking.isSensitive(path: "spec.env."))
        #expect(!SecretMasking.isSensitive(path: "spec.xenv.TOKEN"))
        #expect(!SecretMasking.isSensitive(path: "spec.envx.TOKEN"))
        #expect(!SecretMasking.isSensitive(path: "spec.environment.TOKEN"))
        #expect(SecretMasking.isSensitive(path: "spec.env.ſecret"))
        #expect(SecretMasking.isSensitive(path: "spec.env.clé_password"))
        #expect(!SecretMasking.isSensitive(path: "spec.env.clé"))
        #expect(!SecretMasking.isSensitive(path: "spec.env.KE"))
        #expect(SecretMasking.isSensitive(path: "spec.env.key"))
        #expect(SecretMasking.isSensitive(path: "spec.env.xxcredentIAL"))
        #expect(!SecretMasking.isSensitive(path: "spec.env.CREDENTIA"))
        #expect(!SecretMasking.isSensitive(path: ""))
    }
}

@Suite struct JSONNumberBytesTests {
    /// The byte-wise check (plan output) agrees with `JSONNumberSyntax` (the API's JSON).
    @Test func agreesWithJSONNumberSyntax() {
        let samples = [
            "", "0", "-0", "00", "01", "-", "1", "12", "-12", "1.5", "1.", ".5", "-.5", "0.25", "1e5", "1E+5",
            "1e-05", "1e", "1e+", "2.5e3", "-0.0", "0x10", "1_000", "inf", "nan", "12a", " 1", "1 ", "+1",
            "9007199254740993", "1.2.3", "--1", "0e0", "٣",
        ]
        for sample in samples {
            var s = sample
            #expect(s.withUTF8(JSONNumberBytes.isValid) == JSONNumberSyntax.isValid(sample), "\(sample)")
        }
    }
}
