import Testing
@testable import Manifests

@Suite struct HashTests {
    static func workload(_ files: [String: String], _ name: String = "web") throws -> Workload {
        let set = load(files)
        #expect(set.errors == [])
        return try #require(set.workloads[name])
    }

    static let base = """
        apiVersion: converge/v1
        kind: Service
        metadata: {name: web, owners: [team], labels: {tier: web}}
        spec:
          command: python3 -m http.server $PORT0
          env: {LOG_LEVEL: info, MODE: fast}
          resources: {cpus: 0.1, memoryMb: 64}
          healthCheck: {http: {path: /health, port: 0}}
          placement: {spread: separateHosts}
        """

    @Test func stableAcrossKeyOrderQuotingCommentsAndNumberSpelling() throws {
        let reformatted = """
            # the web service
            kind: "Service"
            apiVersion: 'converge/v1'
            spec:
              placement:
                spread: separateHosts
              healthCheck:
                http: {port: 0, path: "/health"}   # same check
              resources:
                memoryMb: 64
                cpus: 0.10
              env:
                MODE: "fast"
                LOG_LEVEL: 'info'
              command: "python3 -m http.server $PORT0"
            metadata:
              labels: {tier: "web"}
              owners: ["team"]
              name: web
            """
        let a = try Self.workload(["web.yaml": Self.base])
        let b = try Self.workload(["services/web.yaml": reformatted])
        #expect(a.templateHash == b.templateHash)
        #expect(a.requestHash == b.requestHash)
        #expect(a.deployId == b.deployId)
    }

    @Test func stableWhenAValueMovesIntoDefaults() throws {
        let moved = Self.base.replacingOccurrences(of: "  env: {LOG_LEVEL: info, MODE: fast}\n", with: "  env: {MODE: fast}\n")
            .replacingOccurrences(of: "  placement: {spread: separateHosts}", with: "")
        let defaults = "apiVersion: converge/v1\nkind: Defaults\nspec:\n  env: {LOG_LEVEL: info}\n  placement: {spread: separateHosts}\n"
        let a = try Self.workload(["svc/web.yaml": Self.base])
        let b = try Self.workload(["svc/web.yaml": moved, "defaults.yaml": defaults])
        #expect(a.templateHash == b.templateHash)
        #expect(a.requestHash == b.requestHash)
    }

    @Test func explicitDefaultValueEqualsOmittedValue() throws {
        let explicit = Self.base.replacingOccurrences(of: "memoryMb: 64}", with: "memoryMb: 64, diskMb: 0, ports: 1}")
        #expect(try Self.workload(["a.yaml": explicit]).templateHash == Self.workload(["a.yaml": Self.base]).templateHash)
    }

    @Test func templateChangeChangesDeployIdButNotRequestHash() throws {
        let a = try Self.workload(["web.yaml": Self.base])
        for change in [("LOG_LEVEL: info", "LOG_LEVEL: debug"), ("cpus: 0.1", "cpus: 0.2"), ("/health", "/healthz"),
                       ("http.server", "http.server -b 127.0.0.1")] {
            let b = try Self.workload(["web.yaml": Self.base.replacingOccurrences(of: change.0, with: change.1)])
            #expect(a.deployId != b.deployId, "\(change)")
            #expect(a.requestHash == b.requestHash, "\(change)")
        }
    }

    @Test func requestChangeChangesOnlyRequestHash() throws {
        let a = try Self.workload(["web.yaml": Self.base])
        for change in [("separateHosts", "greedy"), ("owners: [team]", "owners: [team, sre]"), ("tier: web", "tier: edge")] {
            let b = try Self.workload(["web.yaml": Self.base.replacingOccurrences(of: change.0, with: change.1)])
            #expect(a.templateHash == b.templateHash, "\(change)")
            #expect(a.requestHash != b.requestHash, "\(change)")
        }
    }

    @Test func instancesChangeChangesNeitherHash() throws {
        let a = try Self.workload(["web.yaml": Self.base])
        let b = try Self.workload(["web.yaml": Self.base + "\n  instances: 12\n"])
        #expect(b.spec.instances == 12)
        #expect(a.templateHash == b.templateHash)
        #expect(a.requestHash == b.requestHash)
    }

    @Test func canonicalFieldsAreWhatTheHashIsComputedFrom() throws {
        let a = try Self.workload(["web.yaml": Self.base])
        #expect(a.templateFields.contains(CanonicalField(path: "spec.env.LOG_LEVEL", value: "info")))
        #expect(a.templateFields.contains(CanonicalField(path: "spec.resources.cpus", value: "0.1")))
        #expect(a.templateFields.contains(CanonicalField(path: "spec.healthCheck.http.path", value: "/health")))
        #expect(a.requestFields.contains(CanonicalField(path: "metadata.owners[0]", value: "team")))
        #expect(a.requestFields.contains(CanonicalField(path: "spec.placement.spread", value: "separateHosts")))
        #expect(!a.requestFields.contains { $0.path.hasPrefix("spec.retries") || $0.path.hasPrefix("spec.schedule") })
        #expect(a.templateHash == CanonicalHash.sha256Hex(a.templateFields))
        #expect(a.templateHash.count == 64)
        #expect(Set(a.templateFields.map(\.path)).count == a.templateFields.count)
    }
}
