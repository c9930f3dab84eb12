import Foundation

/// A real git repository built with the git command line:
///
/// - commit `first` on `main`: manifests under `deploy/` (with a nested folder, an executable script,
///   symlinks inside, escaping, absolute, dangling, to a folder, a loop), `.github/workflows/ci.yaml`,
///   a 3 MB `big.bin`; tagged `v1` (lightweight) and `v1-annotated` (annotated), `tree-tag` tags a tree.
/// - commit `second` on `main`: edits `deploy/web.yaml`, with a message body.
/// - branch `feature` from `first` with commit `featureCommit`.
struct SampleRepository {
    let scratch: Scratch
    let root: String
    let first: String
    let second: String
    let featureCommit: String

    static let webV1 = "kind: Service\nmetadata: {name: web}\nspec: {instances: 1}\n"
    static let webV2 = "kind: Service\nmetadata: {name: web}\nspec: {instances: 3}\n"
    static let db = "kind: Worker\nmetadata: {name: db}\n"
    static let bigSize = 3 * 1024 * 1024

    init() throws {
        scratch = try Scratch("sample")
        root = scratch.sub("work")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try GitCLI.run(["init", "-q", "-b", "main"], in: root)
        try Files.write(root + "/README.md", "# sample\n")
        try Files.write(root + "/deploy/web.yaml", Self.webV1)
        try Files.write(root + "/deploy/worker.yml", "kind: Worker\nmetadata: {name: worker}\n")
        try Files.write(root + "/deploy/nested/db.YAML", Self.db)
        try Files.write(root + "/deploy/run.sh", "#!/bin/sh\necho hi\n")
        chmod(root + "/deploy/run.sh", 0o755)
        try Files.write(root + "/.github/workflows/ci.yaml", "on: push\n")
        try Files.symlink(root + "/deploy/link-inside.yaml", to: "nested/db.YAML")
        try Files.symlink(root + "/deploy/link-via-parent.yaml", to: "../deploy/./nested/db.YAML")
        try Files.symlink(root + "/deploy/link-escape.yaml", to: "../../outside.yaml")
        try Files.symlink(root + "/deploy/link-absolute.yaml", to: "/etc/hostname")
        try Files.symlink(root + "/deploy/link-dangling.yaml", to: "missing.yaml")
        try Files.symlink(root + "/deploy/link-dir.yaml", to: "nested")
        try Files.symlink(root + "/deploy/loop-a.yaml", to: "loop-b.yaml")
        try Files.symlink(root + "/deploy/loop-b.yaml", to: "loop-a.yaml")
        var big = [UInt8](repeating: 0, count: Self.bigSize)
        var state: UInt32 = 12345
        for i in big.indices { state = state &* 1_103_515_245 &+ 12345; big[i] = UInt8(truncatingIfNeeded: state >> 16) }
        try Files.write(root + "/big.bin", big)
        try GitCLI.run(["add", "-A"], in: root)
        try GitCLI.run(["commit", "-q", "-m", "First commit"], in: root, date: "2024-03-01T12:00:00Z")
        first = try GitCLI.run(["rev-parse", "HEAD"], in: root)
        try GitCLI.run(["tag", "v1"], in: root)
        try GitCLI.run(["tag", "-a", "v1-annotated", "-m", "release 1"], in: root)
        try GitCLI.run(["tag", "tree-tag", "HEAD^{tree}"], in: root)

        try Files.write(root + "/deploy/web.yaml", Self.webV2)
        try GitCLI.run(["commit", "-q", "-a", "-m", "Scale web to 3\n\nBecause traffic grew.\nSecond line."], in: root, date: "2024-03-02T08:30:00Z")
        second = try GitCLI.run(["rev-parse", "HEAD"], in: root)

        try GitCLI.run(["checkout", "-q", "-b", "feature", first], in: root)
        try Files.write(root + "/deploy/feature.yaml", "kind: Worker\nmetadata: {name: feature}\n")
        try GitCLI.run(["add", "-A"], in: root)
        try GitCLI.run(["commit", "-q", "-m", "Feature"], in: root, date: "2024-03-03T00:00:00Z")
        featureCommit = try GitCLI.run(["rev-parse", "HEAD"], in: root)
        try GitCLI.run(["checkout", "-q", "main"], in: root)
    }

    func remove() { scratch.remove() }
}
