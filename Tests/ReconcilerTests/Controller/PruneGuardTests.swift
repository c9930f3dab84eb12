import Reconciler
import Testing

@Suite("Prune guard")
struct PruneGuardTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var deletes: Int
        var running: Int
        var prune = true
        var allow = false
        var refused: Bool
        var testDescription: String { "\(deletes) of \(running), prune \(prune), allow \(allow)" }
    }

    @Test(arguments: [
        Case(deletes: 0, running: 0, refused: false),
        Case(deletes: 0, running: 10, refused: false),
        Case(deletes: 1, running: 3, refused: false),  // one delete is always allowed while others remain
        Case(deletes: 2, running: 10, refused: false),  // 20 %: at the limit
        Case(deletes: 3, running: 10, refused: true),  // 30 %
        Case(deletes: 2, running: 3, refused: true),
        Case(deletes: 1, running: 1, refused: true),  // all of them
        Case(deletes: 10, running: 10, refused: true),
        Case(deletes: 10, running: 10, allow: true, refused: false),
        Case(deletes: 10, running: 10, prune: false, refused: false),
    ])
    func decisions(_ c: Case) {
        let guardrail = PruneGuard(prune: c.prune, maxDeleteShare: 0.2, allowMassDelete: c.allow)
        let deletes = (0..<c.deletes).map { "s\($0)" }
        switch guardrail.decide(deletes: deletes, running: c.running) {
        case .refuse(let reason):
            #expect(c.refused, "refused: \(reason)")
            #expect(reason.contains("--allow-mass-delete"))
        case .proceed(let keep):
            #expect(!c.refused)
            #expect(keep == (c.prune ? [] : deletes.sorted()))
        }
    }
}
