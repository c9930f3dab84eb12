import Foundation
import GitSource
import Testing
@testable import Reconciler

private func service(_ name: String, instances: Int = 1, level: String = "info") -> String {
    """
    apiVersion: converge/v1
    kind: Service
    metadata:
      name: \(name)
    spec:
      instances: \(instances)
      command: python3 -m http.server $PORT0
      env: {LOG_LEVEL: \(level), API_TOKEN: tok-\(name)-secret}
      resources: {cpus: 0.1, memoryMb: 64, ports: 1}

    """
}

@Suite struct ManifestLoaderTests {
    @Test func oneChangedFileParsesOneFile() throws {
        let repo = try TempRepository()
        for i in 0..<20 { try repo.write("apps/app-\(i).yaml", service("app-\(i)")) }
        try repo.write("apps/defaults.yaml", "apiVersion: converge/v1\nkind: Defaults\nmetadata: {name: d}\nspec: {env: {TEAM: x}}\n")
        let first = try repo.commit("twenty apps")
        try repo.write("apps/app-7.yaml", service("app-7", level: "debug"))
        let second = try repo.commit("one change")

        let repository = try GitRepository.open(path: repo.path)
        let cache = ManifestCache()
        let loader = ManifestLoader(cache: cache)
        let base = try loader.load(repository: repository, ref: first, path: nil)
        #expect(base.problems.isEmpty, "\(base.problems)")
        #expect(base.parsedFiles == 21 && cache.parseCount == 21)
        #expect(base.commit == first)

        let target = try loader.load(repository: repository, ref: second, path: nil)
        #expect(target.parsedFiles == 1)
        #expect(cache.parseCount == 22)

        let again = try loader.load(repository: repository, ref: "main", path: nil)
        #expect(again.parsedFiles == 0)

        let plan = Planner.plan(desired: try #require(target.view), actual: try #require(base.view))
        #expect(plan.deploys.map(\.name) == ["app-7"])
        #expect(plan.summary.total == 1)
        let fields = try #require(plan.deploys.first?.fields)
        #expect(fields.contains(FieldChange(path: "spec.env.LOG_LEVEL", before: .string("info"), after: .string("debug"))))
        #expect(!String(describing: plan).contains("tok-app-7-secret"))
    }

    /// The parse cache keeps the files of the last two loads only: a long-running controller that
    /// loads revision after revision does not accumulate every file it ever saw.
    @Test func parseCacheKeepsOnlyTheLastTwoLoads() throws {
        let repo = try TempRepository()
        var commits: [String] = []
        for round in 0..<4 {
            for i in 0..<5 { try repo.write("apps/app-\(i).yaml", service("app-\(i)", instances: round + 1)) }
            commits.append(try repo.commit("round \(round)"))
        }
        let repository = try GitRepository.open(path: repo.path)
        let cache = ManifestCache()
        let loader = ManifestLoader(cache: cache)
        for commit in commits {
            let loaded = try loader.load(repository: repository, ref: commit, path: nil)
            #expect(loaded.parsedFiles == 5 && loaded.problems.isEmpty)
            #expect(cache.count <= 10, "\(cache.count) files cached after loading \(commit)")
        }
        // The last two revisions are cached; the first was dropped and is parsed again.
        #expect(try loader.load(repository: repository, ref: commits[3], path: nil).parsedFiles == 0)
        #expect(try loader.load(repository: repository, ref: commits[2], path: nil).parsedFiles == 0)
        #expect(try loader.load(repository: repository, ref: commits[0], path: nil).parsedFiles == 5)
        #expect(cache.count <= 10)
        // Reloading the same revision keeps using the cache.
        #expect(try loader.load(repository: repository, ref: commits[0], path: nil).parsedFiles == 0)
        #expect(try loader.load(repository: repository, ref: commits[0], path: nil).parsedFiles == 0)
        #expect(cache.count <= 10)
    }

    /// The warm cache (parsed files and reused assemblies) gives exactly what a cold load gives, through
    /// edits of one file, of a Defaults file that governs others, a new name clash and its removal.
    @Test func warmLoadsAgreeWithColdLoads() throws {
        let repo = try TempRepository()
        for i in 0..<6 { try repo.write("apps/app-\(i).yaml", service("app-\(i)")) }
        try repo.write("apps/defaults.yaml", "apiVersion: converge/v1\nkind: Defaults\nmetadata: {name: d}\nspec: {env: {TEAM: x}}\n")
        try repo.write("other/web.yaml", service("web"))
        var commits = [try repo.commit("start")]
        try repo.write("apps/app-2.yaml", service("app-2", instances: 3))
        commits.append(try repo.commit("scale one"))
        try repo.write("apps/defaults.yaml", "apiVersion: converge/v1\nkind: Defaults\nmetadata: {name: d}\nspec: {env: {TEAM: y}, resources: {memoryMb: 96}}\n")
        commits.append(try repo.commit("defaults change"))
        try repo.write("other/clash.yaml", service("app-4"))
        commits.append(try repo.commit("name clash"))
        try repo.git("rm", "-q", "other/clash.yaml")
        commits.append(try repo.commit("clash removed"))

        let repository = try GitRepository.open(path: repo.path)
        let warm = ManifestLoader(cache: ManifestCache())
        for commit in commits + commits.reversed() {
            let cached = try warm.load(repository: repository, ref: commit, path: nil)
            let cold = try ManifestLoader().load(repository: repository, ref: commit, path: nil)
            #expect(cached.problems == cold.problems, "\(commit)")
            #expect(cached.view?.workloads.mapValues(\.deployId) == cold.view?.workloads.mapValues(\.deployId), "\(commit)")
            #expect(cached.view?.workloads.mapValues(\.requestHash) == cold.view?.workloads.mapValues(\.requestHash), "\(commit)")
            #expect(cached.view?.workloads.mapValues(\.instances) == cold.view?.workloads.mapValues(\.instances), "\(commit)")
        }
        let clash = try warm.load(repository: repository, ref: commits[3], path: nil)
        #expect(clash.problems.contains { $0.message.contains("app-4") || $0.path == "metadata.name" })
        let afterDefaults = try #require(try warm.load(repository: repository, ref: commits[2], path: nil).view)
        let beforeDefaults = try #require(try warm.load(repository: repository, ref: commits[1], path: nil).view)
        #expect(afterDefaults.workloads["app-0"]?.deployId != beforeDefaults.workloads["app-0"]?.deployId)
        #expect(afterDefaults.workloads["web"]?.deployId == beforeDefaults.workloads["web"]?.deployId)
    }

    @Test func desiredViewCarriesHashesAndDefaults() throws {
        let repo = try TempRepository()
        try repo.write("apps/defaults.yaml", "apiVersion: converge/v1\nkind: Defaults\nmetadata: {name: d}\nspec: {env: {TEAM: blue}}\n")
        try repo.write("apps/web.yaml", service("web", instances: 3))
        try repo.write("ops/maint.yaml", """
            apiVersion: converge/v1
            kind: Maintenance
            metadata: {name: m}
            spec:
              decommission:
                - hostname: agent-1
                - attributes: {rack: r7}

            """)
        try repo.commit("one")
        let loaded = try ManifestLoader().load(repository: try GitRepository.open(path: repo.path), ref: "main", path: nil)
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        #expect(loaded.manifestCount == 3)
        let view = try #require(loaded.view)
        let web = try #require(view.workloads["web"])
        #expect(web.kind == "Service" && web.instances == 3)
        #expect(!web.deployId.isEmpty && !web.requestHash.isEmpty)
        #expect(web.fields["spec.env.TEAM"] == .string("blue"))
        #expect(web.fields["spec.instances"] == .number("3"))
        #expect(view.maintenance == [.hostname("agent-1"), .attributes(["rack": "r7"])])
    }

    @Test func sameManifestsInAFolderAndACommitAgree() throws {
        let repo = try TempRepository()
        try repo.write("web.yaml", service("web"))
        try repo.write("api.yml", service("api", instances: 2))
        try repo.commit("one")
        let loader = ManifestLoader()
        let fromCommit = try loader.load(repository: try GitRepository.open(path: repo.path), ref: "HEAD", path: nil)
        let fromFolder = try loader.loadDirectory(repo.path)
        #expect(fromFolder.commit == nil)
        #expect(fromCommit.view != nil)
        #expect(fromFolder.view?.workloads.mapValues(\.deployId) == fromCommit.view?.workloads.mapValues(\.deployId))
        #expect(Planner.plan(desired: try #require(fromFolder.view), actual: try #require(fromCommit.view)).isEmpty)
    }

    @Test func sourceProblemsBecomeManifestErrorsWithFileNames() throws {
        let repo = try TempRepository()
        try repo.write("web.yaml", service("web"))
        try repo.symlink("escape.yaml", to: "../../etc/passwd")
        try repo.write("big.yaml", Data(repeating: UInt8(ascii: "#"), count: 2 << 20))
        try repo.write("binary.yaml", Data([0x61, 0x3A, 0x00, 0x01, 0x02]))
        try repo.write(".hidden/ignored.yaml", "not: [valid")
        try repo.write("notes.txt", "not: [valid")
        try repo.commit("hostile")

        for loaded in [
            try ManifestLoader().load(repository: try GitRepository.open(path: repo.path), ref: "main", path: nil),
            try ManifestLoader().loadDirectory(repo.path),
        ] {
            let files = Set(loaded.problems.map { ($0.file as NSString).lastPathComponent })
            #expect(files == ["escape.yaml", "big.yaml", "binary.yaml"], "\(loaded.problems)")
            #expect(loaded.problems.contains { $0.file.hasSuffix("escape.yaml") && $0.message.contains("outside") })
            #expect(loaded.problems.contains { $0.file.hasSuffix("big.yaml") && $0.message.contains("limit") })
            #expect(loaded.view == nil)
        }
    }

    @Test func pathRestrictsTheFiles() throws {
        let repo = try TempRepository()
        try repo.write("prod/web.yaml", service("web"))
        try repo.write("staging/web.yaml", "kind: [broken")
        try repo.commit("two")
        let loaded = try ManifestLoader().load(repository: try GitRepository.open(path: repo.path), ref: "main", path: "prod")
        #expect(loaded.problems.isEmpty)
        #expect(loaded.view?.workloads.keys.sorted() == ["web"])
    }
}
