import Hummingbird

extension APIHandler {
    /// `POST /hooks/git`: verify the signature over the raw body, then sync in the background.
    func webhook(_ request: Request) async -> Response {
        guard let secretFile = configuration.webhookSecretFile else {
            return APIReply.error(.forbidden, "the webhook is disabled: the controller has no webhook secret file (--webhook-secret-file)")
        }
        let secret: [UInt8]
        do {
            secret = try SecretFile.read(secretFile, what: "webhook secret")
        } catch {
            logger.error("webhook refused: \(error)")
            return APIReply.error(.internalServerError, "the webhook secret cannot be read on the server")
        }
        let body: [UInt8]
        do {
            body = try await collect(request, limit: configuration.maxWebhookBytes)
        } catch {
            return APIReply.error(.contentTooLarge, "the payload is larger than \(configuration.maxWebhookBytes) bytes")
        }
        guard WebhookSignature.isValid(header: request.headers[Self.signatureHeader], body: body, secret: secret) else {
            logger.warning("webhook refused: bad or missing X-Hub-Signature-256")
            return APIReply.error(.unauthorized, "bad or missing X-Hub-Signature-256")
        }
        if request.headers[Self.eventHeader] == "ping" {
            return APIReply.json(.object([("status", .string("pong"))]))
        }
        await webhookSyncs.request(trigger: .webhook)
        return APIReply.json(.object([("status", .string("sync requested"))]), status: .accepted)
    }
}
