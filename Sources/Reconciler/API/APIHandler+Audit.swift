import Hummingbird

extension APIHandler {
    static let defaultAuditLimit = 100
    static let maximumAuditLimit = 10_000

    /// `GET /api/v1/audit?limit=N&service=NAME`: the newest writes first.
    func auditLog(_ request: Request) -> Response {
        guard let audit else {
            return APIReply.error(.notFound, "this controller keeps no audit log")
        }
        let query = request.uri.queryParameters
        var limit = Self.defaultAuditLimit
        if let text = query["limit"] {
            guard let value = Int(String(text)), value >= 1 else {
                return APIReply.error(.badRequest, "limit must be a whole number of at least 1")
            }
            limit = min(value, Self.maximumAuditLimit)
        }
        let service = query["service"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        do {
            let entries = try audit.auditEntries(service: service, limit: limit)
            return APIReply.json(.array(entries.map { AuditEntryDocument($0).json }))
        } catch {
            logger.error("the audit log cannot be read: \(error)")
            return APIReply.error(.internalServerError, "the audit log cannot be read on the server")
        }
    }
}
