import Hummingbird
import Scheduler

extension APIHandler {
    /// `POST /hooks/git`, audited as the actor `webhook`.
    func webhook(_ request: Request, context: APIRequestContext) async -> Response {
        let reply = await verifiedWebhook(request)
        record(AuditEntry(time: now(), actor: "webhook", action: "webhook", service: nil, remoteAddress: context.clientAddress,
                          status: Int(reply.response.status.code), message: reply.message))
        return reply.response
    }

    /// Verifies the signature over the raw body, then syncs in the background.
    private func verifiedWebhook(_ request: Request) async -> WriteReply {
        guard let secretFile = configuration.webhookSecretFile else {
            return .error(.forbidden, "the webhook is disabled: the controller has no webhook secret file (--webhook-secret-file)")
        }
        let secret: [UInt8]
        do {
            secret = try SecretFile.read(secretFile, what: "webhook secret")
        } catch {
            logger.error("webhook refused: \(error)")
            return .error(.internalServerError, "the webhook secret cannot be read on the server")
        }
        let body: [UInt8]
        do {
            body = try await collect(request, limit: configuration.maxWebhookBytes)
        } catch {
            return .error(.contentTooLarge, "the payload is larger than \(configuration.maxWebhookBytes) bytes")
        }
        guard WebhookSignature.isValid(header: request.headers[Self.signatureHeader], body: body, secret: secret) else {
            logger.warning("webhook refused: bad or missing X-Hub-Signature-256")
            return .error(.unauthorized, "bad or missing X-Hub-Signature-256")
        }
        if request.headers[Self.eventHeader] == "ping" {
            return .json(.object([("status", .string("pong"))]), message: "ping")
        }
        await webhookSyncs.request(trigger: .webhook)
        return .json(.object([("status", .string("sync requested"))]), status: .accepted, message: "sync requested")
    }
}
