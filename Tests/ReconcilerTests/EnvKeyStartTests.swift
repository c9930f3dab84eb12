import Testing
@testable import Reconciler

/// Where the env key of a field path starts: after the last `env` component.
@Suite struct EnvKeyStartTests {
    /// The rule spelled out component by component: the reference the fast search must agree with.
    static func reference(_ path: String) -> Int? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false)
        guard let last = parts.indices.last(where: { parts[$0] == "env" }), last < parts.count - 1 else { return nil }
        return parts[...last].reduce(0) { $0 + $1.utf8.count + 1 }
    }

    static func keyStart(_ path: String) -> Int? {
        var path = path
        return path.withUTF8 { SecretMasking.envKeyStart($0) }
    }

    @Test(arguments: [
        ("spec.env.DB_PASSWORD", 9), ("env.X", 4), ("env.", 4), ("a.env.b.env.C", 12), ("spec.env.v", 9),
        ("spec.env.env.K", 13),
    ] as [(String, Int)])
    func keyStartsAfterTheLastEnvComponent(path: String, start: Int) {
        #expect(Self.keyStart(path) == start)
        #expect(Self.reference(path) == start)
    }

    @Test(arguments: ["spec.env", "env", "spec.envy.X", "spec.xenv.X", "spec.resources.cpus", "", "v", "nv.x", ".env", "spec.env.X.env"])
    func noEnvKey(path: String) {
        #expect(Self.keyStart(path) == nil)
        #expect(Self.reference(path) == nil)
    }

    /// Paths built from `env`-like pieces agree with the reference, whatever their order.
    @Test func agreesWithTheReferenceOnManyPaths() {
        let pieces = ["env", "en", "nv", "v", "envv", "xenv", "spec", "", "ENV", "é", "env2"]
        var checked = 0
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for path in [a, "\(a).\(b)", "\(a).\(b).\(c)", "\(a)\(b).\(c)"] {
                        #expect(Self.keyStart(path) == Self.reference(path), "\(path)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 4 * pieces.count * pieces.count * pieces.count)
    }
}
