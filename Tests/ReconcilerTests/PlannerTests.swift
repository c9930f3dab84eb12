import Testing
@testable import Reconciler

private func workload(
    _ name: String, kind: String = "Service", deploy: String = "d1", request: String = "r1",
    instances: Int = 1, fields: [String: FieldValue] = [:]
) -> WorkloadState {
    var all = fields
    all["spec.instances"] = .number(String(instances))
    return WorkloadState(
        name: name, kind: kind, deployId: deploy, requestHash: request, instances: instances, fields: all)
}

@Suite struct PlannerTests {
    @Test func identicalSidesPlanNothing() {
        let view = ClusterView(workloads: [workload("web"), workload("api", kind: "Worker")])
        let plan = Planner.plan(desired: view, actual: view)
        #expect(plan.isEmpty)
        #expect(plan.changes.isEmpty)
        #expect(plan.summary == Plan.Summary(create: 0, deploy: 0, scale: 0, update: 0, delete: 0, decommission: 0, recommission: 0))
    }

    @Test func createAgainstEmptyClusterListsEveryField() throws {
        let desired = ClusterView(workloads: [workload("web", instances: 3, fields: ["spec.command": .string("run")])])
        let plan = Planner.plan(desired: desired, actual: .empty)
        let change = try #require(plan.creates.first)
        #expect(plan.creates.count == 1 && plan.summary.create == 1)
        #expect(change.action == .create)
        #expect(change.kind == "Service")
        #expect(change.deployIdAfter == "d1" && change.deployIdBefore == nil)
        #expect(change.instancesAfter == 3)
        #expect(change.fields == [
            FieldChange(path: "spec.command", before: nil, after: .string("run")),
            FieldChange(path: "spec.instances", before: nil, after: .number("3")),
        ])
    }

    @Test func deleteWhenOnlyActual() throws {
        let plan = Planner.plan(desired: .empty, actual: ClusterView(workloads: [workload("old", instances: 2)]))
        let change = try #require(plan.deletes.first)
        #expect(change.action == .delete && change.name == "old")
        #expect(change.instancesBefore == 2 && change.deployIdBefore == "d1")
        #expect(change.fields.isEmpty)
        #expect(plan.summary.delete == 1)
    }

    @Test func templateChangeIsADeployWithFieldDiff() throws {
        let before = workload("api", deploy: "d1", fields: ["spec.env.LOG_LEVEL": .string("info")])
        let after = workload("api", deploy: "d2", fields: ["spec.env.LOG_LEVEL": .string("debug")])
        let plan = Planner.plan(desired: ClusterView(workloads: [after]), actual: ClusterView(workloads: [before]))
        let change = try #require(plan.deploys.first)
        #expect(plan.summary.deploy == 1 && plan.summary.total == 1)
        #expect(change.deployIdBefore == "d1" && change.deployIdAfter == "d2")
        #expect(change.fields == [FieldChange(path: "spec.env.LOG_LEVEL", before: .string("info"), after: .string("debug"))])
    }

    @Test func deployThatAlsoScalesReportsInstances() throws {
        let before = workload("api", deploy: "d1", instances: 2, fields: ["spec.command": .string("a")])
        let after = workload("api", deploy: "d2", instances: 5, fields: ["spec.command": .string("b")])
        let plan = Planner.plan(desired: ClusterView(workloads: [after]), actual: ClusterView(workloads: [before]))
        let change = try #require(plan.deploys.first)
        #expect(plan.scales.isEmpty)
        #expect(change.instancesBefore == 2 && change.instancesAfter == 5)
        #expect(change.fields.map(\.path) == ["spec.command", "spec.instances"])
    }

    @Test func onlyInstancesIsAScale() throws {
        let plan = Planner.plan(
            desired: ClusterView(workloads: [workload("w", instances: 4)]),
            actual: ClusterView(workloads: [workload("w", instances: 2)]))
        let change = try #require(plan.scales.first)
        #expect(plan.summary.scale == 1 && plan.summary.total == 1)
        #expect(change.fields == [FieldChange(path: "spec.instances", before: .number("2"), after: .number("4"))])
    }

    @Test func instancesReportedEvenWithoutFlattenedField() throws {
        let a = WorkloadState(name: "w", kind: "Worker", deployId: "d", requestHash: "r", instances: 1)
        var b = a
        b.instances = 3
        let change = try #require(Planner.plan(desired: ClusterView(workloads: [b]), actual: ClusterView(workloads: [a])).scales.first)
        #expect(change.fields == [FieldChange(path: "spec.instances", before: .number("1"), after: .number("3"))])
    }

    @Test func requestChangeIsAnUpdateInPlace() throws {
        let before = workload("cron", kind: "Scheduled", request: "r1", fields: ["spec.schedule": .string("0 * * * *")])
        let after = workload("cron", kind: "Scheduled", request: "r2", fields: ["spec.schedule": .string("*/5 * * * *")])
        let plan = Planner.plan(desired: ClusterView(workloads: [after]), actual: ClusterView(workloads: [before]))
        let change = try #require(plan.updates.first)
        #expect(plan.summary.update == 1 && plan.summary.total == 1)
        #expect(change.fields == [FieldChange(path: "spec.schedule", before: .string("0 * * * *"), after: .string("*/5 * * * *"))])
    }

    @Test func kindChangeIsADeployNamingTheKind() throws {
        let plan = Planner.plan(
            desired: ClusterView(workloads: [workload("x", kind: "Worker")]),
            actual: ClusterView(workloads: [workload("x", kind: "Service")]))
        let change = try #require(plan.deploys.first)
        #expect(change.fields.first == FieldChange(path: "kind", before: .string("Service"), after: .string("Worker")))
    }

    @Test func hashesDecideNotFields() {
        // Same hashes, different display fields (e.g. a comment-only change): nothing to do.
        let plan = Planner.plan(
            desired: ClusterView(workloads: [workload("a", fields: ["x": .string("1")])]),
            actual: ClusterView(workloads: [workload("a", fields: ["x": .string("2")])]))
        #expect(plan.isEmpty)
    }

    @Test func changesAreOrderedByNameAndCounted() {
        let actual = ClusterView(workloads: [
            workload("zeta"), workload("beta", deploy: "old"), workload("alpha", instances: 1),
            workload("gamma", request: "old"), workload("same"),
        ])
        let desired = ClusterView(workloads: [
            workload("delta"), workload("beta", deploy: "new"), workload("alpha", instances: 3),
            workload("gamma", request: "new"), workload("same"), workload("aardvark"),
        ])
        let plan = Planner.plan(desired: desired, actual: actual)
        #expect(plan.changes.map(\.name) == ["aardvark", "alpha", "beta", "delta", "gamma", "zeta"])
        #expect(plan.changes.map(\.action) == [.create, .scale, .deploy, .create, .update, .delete])
        #expect(plan.creates.map(\.name) == ["aardvark", "delta"])
        #expect(plan.summary == Plan.Summary(create: 2, deploy: 1, scale: 1, update: 1, delete: 1, decommission: 0, recommission: 0))
        // Deterministic: the same inputs give the same plan.
        #expect(Planner.plan(desired: desired, actual: actual) == plan)
    }

    @Test func maintenanceDiffsSelectors() {
        let actual = ClusterView(maintenance: [.hostname("agent-1"), .attributes(["rack": "r1"])])
        let desired = ClusterView(maintenance: [.hostname("agent-1"), .hostname("agent-9"), .attributes(["rack": "r7", "zone": "a"])])
        let plan = Planner.plan(desired: desired, actual: actual)
        #expect(plan.maintenance == [
            MaintenanceChange(action: .decommission, selector: .hostname("agent-9")),
            MaintenanceChange(action: .decommission, selector: .attributes(["rack": "r7", "zone": "a"])),
            MaintenanceChange(action: .recommission, selector: .attributes(["rack": "r1"])),
        ])
        #expect(plan.summary.decommission == 2 && plan.summary.recommission == 1)
        #expect(!plan.isEmpty)
        #expect(MaintenanceSelector.attributes(["zone": "a", "rack": "r7"]).description == "rack=r7,zone=a")
    }
}

@Suite struct SecretMaskingTests {
    @Test(arguments: ["DB_PASSWORD", "api_token", "SecretThing", "AWS_ACCESS_KEY_ID", "gcp_credentials", "private-key", "Password"])
    func sensitiveKeys(key: String) {
        #expect(SecretMasking.isSensitive(key: key))
        #expect(SecretMasking.isSensitive(path: "spec.env.\(key)"))
        #expect(SecretMasking.isSensitive(path: "spec.container.docker.env.\(key)"))
    }

    @Test(arguments: ["LOG_LEVEL", "PORT", "HOSTNAME"])
    func plainKeys(key: String) {
        #expect(!SecretMasking.isSensitive(key: key))
        #expect(!SecretMasking.isSensitive(path: "spec.env.\(key)"))
    }

    @Test func onlyEnvEntriesAreMasked() {
        #expect(!SecretMasking.isSensitive(path: "metadata.labels.token"))
        #expect(!SecretMasking.isSensitive(path: "spec.env"))
        #expect(!SecretMasking.isSensitive(path: "spec.placement.requiredAttributes.key"))
    }

    @Test func planNeverCarriesSecretValues() throws {
        let before = WorkloadState(name: "db", kind: "Service", deployId: "a", requestHash: "r", instances: 1,
                                   fields: ["spec.env.DB_PASSWORD": .string("hunter2"), "spec.env.LOG": .string("info")])
        var after = before
        after.deployId = "b"
        after.fields = ["spec.env.DB_PASSWORD": .string("swordfish"), "spec.env.LOG": .string("debug")]
        let deploy = Planner.plan(desired: ClusterView(workloads: [after]), actual: ClusterView(workloads: [before]))
        let create = Planner.plan(desired: ClusterView(workloads: [after]), actual: .empty)
        for plan in [deploy, create] {
            let text = String(describing: plan)
            #expect(!text.contains("hunter2"))
            #expect(!text.contains("swordfish"))
        }
        let change = try #require(deploy.deploys.first)
        #expect(change.fields.first == FieldChange(path: "spec.env.DB_PASSWORD", before: SecretMasking.placeholder, after: SecretMasking.placeholder))
        #expect(change.fields.last == FieldChange(path: "spec.env.LOG", before: .string("info"), after: .string("debug")))
    }
}

@Suite struct FieldDisplayTests {
    /// Text and markdown show string values as JSON string literals: the same escaping as JSON output.
    @Test func stringsShowAsJSONLiterals() {
        #expect(FieldValue.string("info").display == "\"info\"")
        #expect(FieldValue.string("say \"hi\"\\n").display == "\"say \\\"hi\\\"\\\\n\"")
        #expect(FieldValue.string("a\nb\tc\rd").display == "\"a\\nb\\tc\\rd\"")
        #expect(FieldValue.string("bell\u{07}del\u{7F}esc\u{1B}").display == "\"bell\\u0007del\\u007fesc\\u001b\"")
        #expect(FieldValue.string("grüße ✓").display == "\"grüße ✓\"")
        #expect(FieldValue.number("0.25").display == "0.25")
        #expect(FieldValue.bool(false).display == "false")
        #expect(FieldValue.null.display == "null")
        for value in [FieldValue.string("x\u{01}\"y"), .number("12"), .bool(true), .null] {
            var out = "> "
            value.appendDisplay(to: &out)
            #expect(out == "> " + value.display)
        }
        var json = ""
        JSONString.append("tab\there", to: &json)
        #expect(json == "\"tab\\there\"" && JSONString.quoted("tab\there") == json)
    }
}

@Suite struct FieldTypingTests {
    static let prefixes = [
        "spec.env.", "metadata.labels.", "metadata.owners[", "spec.command", "spec.healthCheck.command",
        "spec.container.docker.parameters.", "spec.placement.requiredAttributes.",
        "spec.placement.allowedAttributes.", "spec.user", "spec.schedule", "spec.timeZone", "kind",
    ]

    /// Free-form paths keep their values as strings; the byte-wise check agrees with the prefix list.
    @Test func freeTextPathsAreTheDocumentedPrefixes() {
        let paths = Self.prefixes + Self.prefixes.map { $0 + "X" } + Self.prefixes.map { String($0.dropLast()) } + [
            "", "k", "s", "spec", "spec.", "spec.env", "spec.envX", "spec.timeLimitSeconds", "spec.retries",
            "spec.resources.cpus", "spec.healthCheck.http.port", "spec.container.docker.image",
            "spec.placement.spread", "metadata.owners", "metadata.name", "kinds", "spec.command[0]",
            "spec.healthCheck.command[1]", "spec.user.x", "spec.schedulex", "metadata.labels",
        ]
        for path in paths {
            #expect(FieldValue.isFreeText(path) == Self.prefixes.contains { path.hasPrefix($0) }, "\(path)")
        }
        #expect(FieldValue(canonical: "12", path: "spec.env.PORT") == .string("12"))
        #expect(FieldValue(canonical: "12", path: "spec.instances") == .number("12"))
        #expect(FieldValue(canonical: "true", path: "spec.placement.rackSensitive") == .bool(true))
        #expect(FieldValue(canonical: "true", path: "metadata.labels.on") == .string("true"))
    }
}
