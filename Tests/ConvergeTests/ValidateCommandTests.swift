import Foundation
import Testing

@Suite(.serialized) struct ValidateCommandTests {
    private func validRepo() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.write("services/defaults.yaml", Fixtures.defaults)
        try repo.write("services/web.yaml", Fixtures.service("web"))
        try repo.write("workers/queue.yml", Fixtures.worker("queue"))
        try repo.write("jobs/nightly.yaml", Fixtures.scheduled("nightly"))
        try repo.write("README.md", "not a manifest: ignored\n")
        try repo.write(".github/workflow.yaml", "on: push\njobs: {}\n")
        try repo.commit("valid manifests")
        return repo
    }

    @Test func validFolderInAllFormats() throws {
        let repo = try validRepo()
        let text = try ConvergeBinary.run(["validate", repo.path])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("OK: 4 manifests valid."))
        #expect(!text.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")

        let json = try ConvergeBinary.run(["validate", repo.path, "--format", "json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == true)
        #expect(object["manifests"] as? Int == 4)
        #expect((object["errors"] as? [Any])?.isEmpty == true)

        let github = try ConvergeBinary.run(["validate", repo.path, "--format", "github"])
        #expect(github.status == 0)
        #expect(!github.stdout.contains("::error"))
    }

    @Test func currentFolderIsTheDefault() throws {
        let repo = try validRepo()
        let result = try ConvergeBinary.run(["validate"], in: repo.root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("OK: 4 manifests valid."))
    }

    @Test func errorsFromSeveralFilesInOneRun() throws {
        let repo = try validRepo()
        try repo.write("services/broken.yaml", Fixtures.badService)
        try repo.write("workers/bad.yaml", Fixtures.badWorker)

        let text = try ConvergeBinary.run(["validate", repo.path])
        #expect(text.status == 1)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("services/broken.yaml:8:") && $0.contains("spec.resources.cpus") })
        #expect(lines.contains { $0.contains("services/broken.yaml:6:") && $0.contains("spec.instance") && $0.contains("instances") })
        #expect(lines.contains { $0.contains("workers/bad.yaml:4:") && $0.contains("metadata.name") })

        let json = try ConvergeBinary.run(["validate", repo.path, "--format", "json"])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == false)
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.count >= 3)
        let files = Set(errors.compactMap { $0["file"] as? String })
        #expect(files.contains { $0.hasSuffix("services/broken.yaml") } && files.contains { $0.hasSuffix("workers/bad.yaml") })
        for error in errors {
            #expect(error["line"] as? Int ?? 0 > 0)
            #expect(error["column"] as? Int ?? 0 > 0)
            #expect(error["path"] is String && error["message"] is String)
        }

        let github = try ConvergeBinary.run(["validate", repo.path, "--format", "github"])
        #expect(github.status == 1)
        let annotations = github.stdout.split(separator: "\n").filter { $0.hasPrefix("::error file=") }
        #expect(annotations.count == errors.count)
        #expect(annotations.contains { $0.contains("broken.yaml,line=8,col=") && $0.contains("::spec.resources.cpus: ") })
    }

    @Test func workingTreeEditsAreValidatedNotHead() throws {
        let repo = try validRepo()
        try repo.write("services/web.yaml", Fixtures.badService)  // uncommitted
        let folder = try ConvergeBinary.run(["validate", repo.path])
        #expect(folder.status == 1)
        let head = try ConvergeBinary.run(["validate", "--repo", repo.path, "--ref", "HEAD"])
        #expect(head.status == 0, "\(head.stdout)\(head.stderr)")
    }

    @Test func repoRefAndPath() throws {
        let repo = try GitFixture()
        try repo.write("deploy/prod/web.yaml", Fixtures.service("web"))
        try repo.write("deploy/staging/web.yaml", Fixtures.badService)
        try repo.commit("two environments")
        try repo.git("tag", "v1")
        try repo.write("deploy/prod/web.yaml", Fixtures.badWorker)
        try repo.commit("break prod")

        let v1 = try ConvergeBinary.run(["validate", "--repo", repo.path, "--ref", "v1", "--path", "deploy/prod"])
        #expect(v1.status == 0, "\(v1.stdout)\(v1.stderr)")
        #expect(v1.stdout.contains("OK: 1 manifest valid."))
        let main = try ConvergeBinary.run(["validate", "--repo", repo.path, "--ref", "main", "--path", "deploy/prod", "--format", "github"])
        #expect(main.status == 1)
        #expect(main.stdout.contains("::error file=deploy/prod/web.yaml,line=4,"))
        let staging = try ConvergeBinary.run(["validate", "--repo", repo.path, "--ref", "v1", "--path", "deploy/staging"])
        #expect(staging.status == 1)
    }

    @Test func unknownRefIsAClearError() throws {
        let repo = try validRepo()
        let result = try ConvergeBinary.run(["validate", "--repo", repo.path, "--ref", "no-such-branch"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no-such-branch"))
    }

    @Test(arguments: [
        ["validate", "--format", "yaml"],
        ["validate", "some-dir", "--repo", "/tmp", "--ref", "main"],
        ["validate", "--repo", "/tmp"],
        ["validate", "--ref", "main"],
        ["validate", "--no-such-flag"],
        ["validate", "--path", "../outside"],
        ["plan"],
        ["plan", "--ref", "main", "--format", "github"],
    ])
    func usageErrorsExit64(args: [String]) throws {
        let result = try ConvergeBinary.run(args)
        #expect(result.status == 64, "\(args): \(result.status) \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }
}
