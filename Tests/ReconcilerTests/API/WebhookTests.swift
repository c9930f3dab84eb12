import Foundation
import Testing
@testable import Reconciler

@Suite(.serialized) struct WebhookTests {
    @Test func githubDocumentationVector() {
        // docs.github.com, "Validating webhook deliveries": secret and payload with their published signature.
        let header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(WebhookSignature.header(body: Array("Hello, World!".utf8), secret: Array("It's a Secret to Everybody".utf8)) == header)
        #expect(WebhookSignature.isValid(header: header, body: Array("Hello, World!".utf8), secret: Array("It's a Secret to Everybody".utf8)))
        #expect(WebhookSignature.isValid(header: header.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="),
                                         body: Array("Hello, World!".utf8), secret: Array("It's a Secret to Everybody".utf8)))
        #expect(!WebhookSignature.isValid(header: header, body: Array("Hello, World?".utf8), secret: Array("It's a Secret to Everybody".utf8)))
        #expect(!WebhookSignature.isValid(header: header, body: Array("Hello, World!".utf8), secret: Array("another".utf8)))
        #expect(!WebhookSignature.isValid(header: "sha1=757107ea0eb2509fc211221cce984b8a37570b6d", body: [], secret: [1]))
        #expect(!WebhookSignature.isValid(header: String(header.dropLast()), body: Array("Hello, World!".utf8), secret: Array("x".utf8)))
        #expect(!WebhookSignature.isValid(header: String(header.dropLast()) + "g", body: Array("Hello, World!".utf8), secret: Array("x".utf8)))
        #expect(!WebhookSignature.isValid(header: nil, body: [], secret: [1]))
    }

    @Test func signedDeliveriesSyncAndOthersAreRefused() async throws {
        let handle = RecordingHandle(APIFixtures.state())
        try await withAPIServer(handle) { server, secrets in
            let url = server.baseURL + "/hooks/git"
            let payload = #"{"ref":"refs/heads/main","after":"a1b2c3"}"#
            let signature = WebhookSignature.header(body: Array(payload.utf8), secret: Array(SecretsFolder.webhookSecret.utf8))

            let missing = try await TestHTTP.post(url, json: payload)
            #expect(missing.status == 401)
            let bad = try await TestHTTP.post(url, json: payload + " ", headers: ["X-Hub-Signature-256": signature])
            #expect(bad.status == 401)
            let wrongSecret = WebhookSignature.header(body: Array(payload.utf8), secret: Array("guess".utf8))
            let forged = try await TestHTTP.post(url, json: payload, headers: ["X-Hub-Signature-256": wrongSecret])
            #expect(forged.status == 401)
            let get = try await TestHTTP.get(url)
            #expect(get.status == 405)

            let ping = try await TestHTTP.post(url, json: payload, headers: ["X-Hub-Signature-256": signature, "X-GitHub-Event": "ping"])
            #expect(ping.status == 200)
            await server.settleWebhookSyncs()
            #expect(handle.recorded.syncs.isEmpty)

            let good = try await TestHTTP.post(url, json: payload, headers: ["X-Hub-Signature-256": signature, "X-GitHub-Event": "push"])
            #expect(good.status == 202)
            #expect(await eventually { handle.recorded.syncs == [.webhook] })
            _ = secrets
        }
    }

    @Test func oversizedPayloadsAreRefused() async throws {
        let handle = RecordingHandle(APIFixtures.state())
        try await withAPIServer(handle, maxWebhookBytes: 2_048) { server, _ in
            let payload = "{\"padding\":\"" + String(repeating: "x", count: 10_000) + "\"}"
            let signature = WebhookSignature.header(body: Array(payload.utf8), secret: Array(SecretsFolder.webhookSecret.utf8))
            let reply = try await TestHTTP.post(server.baseURL + "/hooks/git", json: payload, headers: ["X-Hub-Signature-256": signature])
            #expect(reply.status == 413)
            await server.settleWebhookSyncs()
            #expect(handle.recorded.syncs.isEmpty)
        }
    }

    @Test func deliveriesDuringASyncFoldIntoOne() async throws {
        let gate = AsyncGate()
        let handle = RecordingHandle(APIFixtures.state(), syncGate: gate)
        try await withAPIServer(handle) { server, _ in
            let url = server.baseURL + "/hooks/git"
            let signature = WebhookSignature.header(body: Array("{}".utf8), secret: Array(SecretsFolder.webhookSecret.utf8))
            for _ in 0..<4 {
                let reply = try await TestHTTP.post(url, json: "{}", headers: ["X-Hub-Signature-256": signature])
                #expect(reply.status == 202)
            }
            #expect(await eventually { handle.recorded.syncs.count == 1 })
            gate.open()
            await server.settleWebhookSyncs()
            // The first sync, then one more for every delivery that came during it.
            #expect(handle.recorded.syncs == [.webhook, .webhook])
        }
    }
}
