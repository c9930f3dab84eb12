import Foundation
import Reconciler
import Testing

@Suite("Controller webhook", .serialized)
struct ControllerWebhookTests {
    @Test("a signed push webhook syncs the new commit at once; a forged one changes nothing")
    func webhookSync() async throws {
        let harness = try await ControllerHarness.start(agents: 1, portBase: 49600)
        let repo = harness.repository
        try repo.write("w.yaml", workerManifest("w", instances: 1))
        try repo.commit("one")
        let secret = "push-secret-\(UUID().uuidString)"
        let secretFile = harness.stateDirectory.deletingLastPathComponent().appendingPathComponent("webhook-\(UUID().uuidString)")
        try Data(secret.utf8).write(to: secretFile)
        defer { try? FileManager.default.removeItem(at: secretFile) }

        // A poll interval of an hour: only the webhook can bring the new commit in.
        let controller = try harness.controller(pollInterval: 3600)
        let runner = Task { await controller.run() }
        let server = try await APIServer(
            handle: controller,
            configuration: APIConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0), webhookSecretFile: secretFile.path)
        ).start()
        #expect(await eventually(timeout: 60) { await controller.converged() })

        let second = try repo.commit("two")
        try repo.write("w.yaml", workerManifest("w", instances: 3))
        let third = try repo.commit("scale to three")
        #expect(second != third)
        let payload = #"{"ref":"refs/heads/main","after":"\#(third)"}"#
        let forged = try await TestHTTP.post(server.baseURL + "/hooks/git", json: payload, headers: [
            "X-GitHub-Event": "push",
            "X-Hub-Signature-256": WebhookSignature.header(body: Array(payload.utf8), secret: Array("wrong".utf8)),
        ])
        #expect(forged.status == 401)
        try await Task.sleep(for: .seconds(2))
        #expect(await controller.activeTasks("w").count == 1, "a forged webhook changed the cluster")
        #expect(await controller.state().appliedRevision != third)

        let started = Date()
        let signed = try await TestHTTP.post(server.baseURL + "/hooks/git", json: payload, headers: [
            "X-GitHub-Event": "push",
            "X-Hub-Signature-256": WebhookSignature.header(body: Array(payload.utf8), secret: Array(secret.utf8)),
        ])
        #expect(signed.status == 202, "\(signed.text)")
        #expect(await eventually(timeout: 30) { await controller.healthy("w") == 3 })
        let state = await controller.state()
        #expect(state.appliedRevision == third)
        #expect(state.history.contains { $0.trigger == .webhook && $0.revision == third })
        print("webhook to 3 healthy: \(String(format: "%.2f", Date().timeIntervalSince(started)))s")

        await server.stop()
        runner.cancel()
        await runner.value
        await controller.shutdown()
        await harness.stop()
    }
}
