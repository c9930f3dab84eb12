import Testing
@testable import Manifests

/// Defaults: nearer wins; maps merge; lists and scalars replace; the manifest wins over all.
@Suite struct DefaultsTests {
    static func defaults(_ spec: String) -> String {
        "apiVersion: converge/v1\nkind: Defaults\nspec:\n" + spec.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
    }

    @Test func nearerFolderWinsAndMapsMerge() throws {
        let set = load([
            "defaults.yaml": Self.defaults("instances: 2\nenv: {A: root, B: root}\nresources: {cpus: 0.5, memoryMb: 256}"),
            "payments/defaults.yaml": Self.defaults("env: {B: payments, C: payments}\nresources: {memoryMb: 512}"),
            "payments/api/web.yaml": manifest(spec: "command: x\nenv: {C: own}"),
            "other/w.yaml": manifest("Worker", name: "w", spec: "command: x"),
        ])
        #expect(set.errors == [])
        let web = try #require(set.workloads["web"]).spec
        #expect(web.instances == 2)
        #expect(web.env == ["A": "root", "B": "payments", "C": "own"])
        #expect(web.resources.cpus == 0.5)
        #expect(web.resources.memoryMb == 512)
        let w = try #require(set.workloads["w"]).spec
        #expect(w.env == ["A": "root", "B": "root"])
        #expect(w.resources.memoryMb == 256)
    }

    @Test func listsAndScalarsReplace() throws {
        let set = load([
            "team/defaults.yaml": Self.defaults(
                "command: [sh, -c, default]\nartifacts: [{uri: a}, {uri: b}]\nplacement: {allowedAttributes: {rack: [r1, r2]}}"),
            "team/web.yaml": manifest(spec: "artifacts: [{uri: c}]\nplacement: {allowedAttributes: {rack: [r3]}}"),
        ])
        #expect(set.errors == [])
        let web = try #require(set.workloads["web"]).spec
        #expect(web.command == .argv(["sh", "-c", "default"]))
        #expect(web.artifacts == [Artifact(uri: "c")])
        #expect(web.placement.allowedAttributes == ["rack": ["r3"]])
    }

    @Test func manifestWinsOverAll() throws {
        let set = load([
            "defaults.yaml": Self.defaults("instances: 5\nuser: root-default"),
            "a/defaults.yaml": Self.defaults("instances: 4"),
            "a/web.yaml": manifest(spec: "command: x\ninstances: 1"),
        ])
        let web = try #require(set.workloads["web"]).spec
        #expect(web.instances == 1)
        #expect(web.user == "root-default")
    }

    @Test func healthCheckProbeReplacesAsAWholeAndTimingsMerge() throws {
        let set = load([
            "defaults.yaml": Self.defaults("healthCheck: {http: {path: /health}, intervalSeconds: 9}"),
            "web.yaml": manifest(spec: "command: x\nresources: {ports: 1}\nhealthCheck: {tcp: {port: 0}}"),
        ])
        #expect(set.errors == [])
        let check = try #require(set.workloads["web"]?.spec.healthCheck)
        #expect(check.probe == .tcp(port: 0))
        #expect(check.intervalSeconds == 9)
    }

    @Test func defaultsFieldsThatDoNotFitAKindAreIgnored() throws {
        let set = load([
            "jobs/defaults.yaml": Self.defaults("retries: 3\ntimeZone: Europe/Berlin\nhealthCheck: {http: {path: /}}"),
            "jobs/web.yaml": manifest(spec: "command: x"),
            "jobs/report.yaml": manifest("Scheduled", name: "report", spec: "command: x\nschedule: \"0 3 * * *\""),
        ])
        #expect(set.errors == [])
        #expect(set.workloads["web"]?.spec.healthCheck?.probe == .http(path: "/", port: 0))
        #expect(set.workloads["report"]?.spec.retries == 3)
        #expect(set.workloads["report"]?.spec.timeZone == "Europe/Berlin")
        #expect(set.workloads["report"]?.spec.healthCheck == nil)
    }

    @Test func errorsInDefaultsPointAtTheDefaultsFileOnce() {
        let set = load([
            "svc/defaults.yaml": Self.defaults("resources: {cpus: -1}"),
            "svc/a.yaml": manifest(name: "a"),
            "svc/b.yaml": manifest(name: "b"),
        ])
        #expect(set.errors.map(\.description) == [
            "svc/defaults.yaml:4:21: spec.resources.cpus: must be greater than 0 and at most 512, got -1.0"
        ])
    }

    @Test func defaultsDoNotApplyToSiblingOrParentFolders() throws {
        let set = load([
            "a/defaults.yaml": Self.defaults("instances: 7"),
            "web.yaml": manifest(name: "root"),
            "b/web.yaml": manifest(name: "sibling"),
            "a/x/web.yaml": manifest(name: "child"),
        ])
        #expect(set.workloads["root"]?.spec.instances == 1)
        #expect(set.workloads["sibling"]?.spec.instances == 1)
        #expect(set.workloads["child"]?.spec.instances == 7)
    }
}
