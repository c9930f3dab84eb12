/// Checks `Authorization: Bearer <token>` against the token file (read on each check, so a rotated
/// token takes effect without a restart).
struct BearerAuthorization: Sendable {
    enum Decision: Equatable {
        case allowed
        /// 401: no or malformed credentials.
        case unauthenticated(String)
        /// 403: wrong token, or writes disabled.
        case forbidden(String)
        /// 500: the token file cannot be read.
        case unavailable(String)
    }

    let tokenFile: String?

    func check(authorizationHeader: String?) -> Decision {
        guard let tokenFile else {
            return .forbidden("write endpoints are disabled: the controller has no API token file (--token-file)")
        }
        let expected: [UInt8]
        do {
            expected = try SecretFile.read(tokenFile, what: "API token")
        } catch {
            return .unavailable("the API token cannot be read on the server")
        }
        guard let header = authorizationHeader else {
            return .unauthenticated("missing Authorization: Bearer <token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return .unauthenticated("the Authorization header must be: Bearer <token>")
        }
        let given = Array(parts[1].trimmingSpaces.utf8)
        return ConstantTime.equal(given, expected) ? .allowed : .forbidden("wrong token")
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.last == " " || s.last == "\t" { s.removeLast() }
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        return s
    }
}
