import Testing
@testable import Manifests

/// `spec.deploy.canary`: decoding, defaults, Defaults merging, validation, the request hash.
@Suite struct CanarySettingsTests {
    @Test func decodesWithDefaultsForOmittedFields() throws {
        let set = load(["web.yaml": manifest(spec: "command: x\ndeploy: {canary: {holdSeconds: 60}}")])
        #expect(set.errors == [])
        let canary = try #require(set.workloads["web"]?.spec.deploy.canary)
        #expect(canary == CanarySettings(instances: 1, holdSeconds: 60, autoPromote: false))
        let plain = load(["web.yaml": manifest(spec: "command: x")])
        #expect(plain.workloads["web"]?.spec.deploy.canary == nil)
    }

    @Test func eachRuleReportsItsOwnErrorWithItsPlace() {
        #expect(errorLines(manifest(spec: "command: x\ndeploy:\n  canary: {instances: 0, holdSeconds: -5}")) == [
            "app.yaml:8:25: spec.deploy.canary.instances: must be at least 1, got 0",
            "app.yaml:8:41: spec.deploy.canary.holdSeconds: must be at least 0, got -5",
        ])
        #expect(errorLines(manifest(spec: "command: x\ndeploy: {canary: {autoPromote: maybe}}")) == [
            #"app.yaml:7:34: spec.deploy.canary.autoPromote: expected true or false, got "maybe""#
        ])
        #expect(errorLines(manifest(spec: "command: x\ndeploy: {canary: {instance: 2}}")).first?
            .contains("spec.deploy.canary.instance") == true)
    }

    @Test func onlyForServicesAndWorkers() {
        #expect(errorLines(manifest("RunOnce", spec: "command: x\ndeploy: {canary: {instances: 1}}")) == [
            "app.yaml:7:20: spec.deploy.canary: only allowed on Service and Worker"
        ])
        #expect(errorLines(manifest("Worker", spec: "command: x\ndeploy: {canary: {instances: 1}}")) == [])
    }

    @Test func settableInDefaultsFieldByField() throws {
        let defaults = "apiVersion: converge/v1\nkind: Defaults\nspec:\n  deploy: {canary: {instances: 2, holdSeconds: 600}}\n"
        let set = load([
            "defaults.yaml": defaults,
            "team/web.yaml": manifest(spec: "command: x\ndeploy: {canary: {autoPromote: true}}"),
            "team/job.yaml": manifest("RunOnce", name: "job", spec: "command: x"),
        ])
        #expect(set.errors == [], "a Defaults canary is dropped silently for jobs")
        #expect(set.workloads["web"]?.spec.deploy.canary == CanarySettings(instances: 2, holdSeconds: 600, autoPromote: true))
        #expect(set.workloads["job"]?.spec.deploy.canary == nil)
    }

    @Test func aRequestSettingNotANewDeploy() throws {
        let plain = try #require(load(["web.yaml": manifest(spec: "command: x")]).workloads["web"])
        let canary = try #require(load(["web.yaml": manifest(spec: "command: x\ndeploy: {canary: {instances: 1}}")]).workloads["web"])
        let longer = try #require(load(["web.yaml": manifest(spec: "command: x\ndeploy: {canary: {holdSeconds: 900}}")]).workloads["web"])
        #expect(plain.deployId == canary.deployId && canary.deployId == longer.deployId)
        #expect(plain.requestHash != canary.requestHash)
        #expect(canary.requestHash != longer.requestHash)
        #expect(canary.requestFields.map(\.path).contains("spec.deploy.canary.holdSeconds"))
        #expect(!plain.requestFields.map(\.path).contains { $0.hasPrefix("spec.deploy.canary") })
    }
}
