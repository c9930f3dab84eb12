import Testing
@testable import Manifests

/// `spec.executor`, `spec.logs`, `spec.resources.memorySoftLimit` and `artifacts[].sha256`: decoding,
/// defaults (also through Defaults documents), validation with file:line:column, and hashing.
@Suite struct ExecutorFieldsTests {
    static let digest = String(repeating: "0123456789abcdef", count: 4)

    @Test func decodesEveryField() throws {
        let set = load(["app.yaml": manifest(spec: """
            command: x
            executor: command
            logs: {maxSizeMb: 50, keep: 3, compress: false}
            resources: {memoryMb: 256, memorySoftLimit: 0.75}
            artifacts: [{uri: "https://example.com/a.tgz", sha256: "\(Self.digest)"}]
            """)])
        #expect(set.errors == [])
        let spec = try #require(set.workloads["web"]).spec
        #expect(spec.executor == .command)
        #expect(spec.logs == LogSettings(maxSizeMb: 50, keep: 3, compress: false))
        #expect(spec.resources.memorySoftLimit == 0.75)
        #expect(spec.artifacts == [Artifact(uri: "https://example.com/a.tgz", sha256: Self.digest)])
    }

    @Test func defaultsWhenOmitted() throws {
        let spec = try #require(load(["app.yaml": manifest()]).workloads["web"]).spec
        #expect(spec.executor == .converge)
        #expect(spec.logs == LogSettings(maxSizeMb: 10, keep: 5, compress: true))
        #expect(spec.resources.memorySoftLimit == 0.9)
        #expect(spec.artifacts.allSatisfy { $0.sha256 == nil })
    }

    @Test func defaultsDocumentsSetThemFieldByField() throws {
        let set = load([
            "team/defaults.yaml": DefaultsTests.defaults("executor: command\nlogs: {maxSizeMb: 20, keep: 2}\nresources: {memorySoftLimit: 0.5}"),
            "team/web.yaml": manifest(spec: "command: x\nlogs: {keep: 9}"),
            "team/api.yaml": manifest(name: "api", spec: "command: x\nexecutor: converge\nresources: {memorySoftLimit: 1}"),
        ])
        #expect(set.errors == [])
        let web = try #require(set.workloads["web"]).spec
        #expect(web.executor == .command)
        #expect(web.logs == LogSettings(maxSizeMb: 20, keep: 9, compress: true))
        #expect(web.resources.memorySoftLimit == 0.5)
        let api = try #require(set.workloads["api"]).spec
        #expect(api.executor == .converge)
        #expect(api.resources.memorySoftLimit == 1)
    }

    @Test func badValuesNameFileLineColumnAndField() {
        #expect(errorLines(manifest(spec: "command: x\nexecutor: mesos")) == [
            #"app.yaml:7:13: spec.executor: unknown value "mesos"; expected one of converge, command"#
        ])
        #expect(errorLines(manifest(spec: "command: x\nexecutor: comand")) == [
            #"app.yaml:7:13: spec.executor: unknown value "comand"; did you mean 'command'?"#
        ])
        #expect(errorLines(manifest(spec: "command: x\nresources: {memorySoftLimit: 0}")) == [
            "app.yaml:7:32: spec.resources.memorySoftLimit: must be greater than 0 and at most 1 (a fraction of memoryMb), got 0.0"
        ])
        #expect(errorLines(manifest(spec: "command: x\nresources: {memorySoftLimit: 1.5}")) == [
            "app.yaml:7:32: spec.resources.memorySoftLimit: must be greater than 0 and at most 1 (a fraction of memoryMb), got 1.5"
        ])
        #expect(errorLines(manifest(spec: "command: x\nlogs: {maxSizeMb: 0, keep: 101}")) == [
            "app.yaml:7:21: spec.logs.maxSizeMb: must be between 1 and 10240, got 0",
            "app.yaml:7:30: spec.logs.keep: must be between 0 and 100, got 101",
        ])
        #expect(errorLines(manifest(spec: "command: x\nlogs: {compress: maybe}")) == [
            #"app.yaml:7:20: spec.logs.compress: expected true or false, got "maybe""#
        ])
        #expect(errorLines(manifest(spec: "command: x\nlogs: {maxSize: 3}")) == [
            "app.yaml:7:10: spec.logs.maxSize: unknown field; did you mean 'maxSizeMb'?"
        ])
        #expect(errorLines(manifest(spec: "command: x\nartifacts: [{uri: a, sha256: ABC}]")) == [
            #"app.yaml:7:32: spec.artifacts[0].sha256: must be 64 lowercase hex digits (the SHA-256 of the file), got "ABC""#
        ])
    }

    @Test func theyBelongToTheTaskTemplateAndDefaultsKeepOldHashes() throws {
        func workload(_ spec: String) throws -> Workload { try #require(load(["app.yaml": manifest(spec: spec)]).workloads["web"]) }
        let base = try workload("command: x")
        // Written-out defaults hash like omitted ones: workloads from before these fields keep their deploys.
        let explicit = try workload("command: x\nexecutor: converge\nlogs: {maxSizeMb: 10, keep: 5, compress: true}\nresources: {memorySoftLimit: 0.9}")
        #expect(explicit.templateHash == base.templateHash)
        #expect(!base.templateFields.contains { $0.path.hasPrefix("spec.logs") || $0.path == "spec.executor" })
        for changed in ["command: x\nexecutor: command", "command: x\nlogs: {keep: 1}", "command: x\nresources: {memorySoftLimit: 0.8}",
                        "command: x\nartifacts: [{uri: a, sha256: \"\(Self.digest)\"}]"] {
            let other = try workload(changed)
            #expect(other.templateHash != base.templateHash, "\(changed)")
            #expect(other.requestHash == base.requestHash, "\(changed)")
        }
    }
}
