import Testing
@testable import Manifests

@Suite struct AssemblyTests {
    static func corpus(_ count: Int) -> [ManifestFile] {
        let kinds = ["Service", "Worker", "Scheduled", "OnDemand", "RunOnce"]
        var files = [ManifestFile(
            path: "team/defaults.yaml",
            contents: Array("apiVersion: converge/v1\nkind: Defaults\nspec: {env: {TEAM: t}, retries: 1}\n".utf8))]
        for n in 0..<count {
            let kind = kinds[n % kinds.count]
            let extra = kind == "Scheduled" ? "\nschedule: \"\(n % 60) * * * *\"" : ""
            files.append(ManifestFile(
                path: "team/sub\(n % 7)/svc-\(n).yaml",
                contents: Array(manifest(kind, name: "svc-\(n)", spec: "command: echo \(n)\nenv: {N: \"\(n)\"}" + extra).utf8)))
        }
        return files
    }

    @Test func concurrentAndSerialPathsAgree() {
        let files = Self.corpus(600)
        let concurrent = assemble(parseManifestFiles(files))
        let serial = assemble(files.map(parseManifestFile))
        #expect(concurrent.errors == [])
        #expect(concurrent.workloads.count == 600)
        #expect(concurrent == serial)
        #expect(concurrent.workloads["svc-7"]?.spec.env == ["TEAM": "t", "N": "7"])
        #expect(concurrent.workloads["svc-2"]?.spec.retries == 1)
    }

    @Test func reusingCachedParsesGivesTheSameResultAsAFullParse() {
        var files = Self.corpus(50)
        let cached = files.map(parseManifestFile)
        files[10] = ManifestFile(path: files[10].path, contents: Array(manifest("Worker", name: "svc-9", spec: "command: changed").utf8))
        var reused = cached
        reused[10] = parseManifestFile(files[10])
        let incremental = assemble(reused)
        let full = assemble(files.map(parseManifestFile))
        #expect(incremental == full)
        #expect(incremental.workloads["svc-9"]?.spec.command == .shell("changed"))
    }

    @Test func emptyFilesAndCommentOnlyFilesAreFine() {
        let set = load(["empty.yaml": "", "comments.yaml": "# nothing here\n", "dashes.yaml": "---\n---\n"])
        #expect(set.errors == [])
        #expect(set.documentCount == 0)
    }

    @Test func nonMappingDocumentIsAnError() {
        #expect(errorLines("- a\n- b\n") == ["app.yaml:1:1: expected a mapping, got a list"])
    }
}
