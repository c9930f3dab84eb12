import Foundation
import Reconciler
import Testing

@Suite("Controller folder watch", .serialized)
struct ControllerFolderWatchTests {
    @Test("a saved manifest in a plain folder is applied within about two seconds")
    func savedFileIsNoticed() async throws {
        let harness = try await ControllerHarness.start(agents: 1, portBase: 49700)
        let folder = harness.repository.root.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try workerManifest("w", instances: 1).write(to: folder.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        let controller = try harness.controller(source: .folder(folder.path, path: nil))
        let runner = Task { await controller.run() }
        #expect(await eventually(timeout: 60) { await controller.converged() })
        let before = await controller.state().appliedRevision
        #expect(before?.hasPrefix("tree-") == true)

        try workerManifest("w", instances: 2).write(to: folder.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        let saved = Date()
        #expect(await eventually(timeout: 10) { await controller.state().appliedRevision != before })
        let noticed = Date().timeIntervalSince(saved)
        // About two seconds on a quiet machine (a poll each second); the bound leaves room for a loaded CI box.
        #expect(noticed < 8, "the saved file was applied after \(noticed) s")
        #expect(await eventually(timeout: 30) { await controller.healthy("w") == 2 })

        runner.cancel()
        await runner.value
        await controller.shutdown()
        await harness.stop()
    }
}
