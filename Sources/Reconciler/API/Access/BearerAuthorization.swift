import Crypto
import Logging

/// Checks `Authorization: Bearer <token>` against the `--token-file` token (read on each check) and the
/// `--tokens-file` digests (read again when the file changes), so a rotated token takes effect without
/// a restart. Every comparison runs in constant time and over every entry; no token is ever logged.
struct BearerAuthorization: Sendable {
    enum Decision: Equatable {
        case allowed(Caller)
        /// 401: no, malformed or unknown credentials.
        case unauthenticated(String)
        /// 403: writes disabled.
        case forbidden(String)
        /// 500: a token file cannot be read or is invalid, and no other token matched (fail closed).
        case unavailable(String)
    }

    let tokenFile: String?
    let tokens: TokensFileCache?
    let logger: Logger

    func check(authorizationHeader: String?) -> Decision {
        guard tokenFile != nil || tokens != nil else {
            return .forbidden("write endpoints are disabled: the controller has no API token file (--token-file or --tokens-file)")
        }
        guard let header = authorizationHeader else {
            return .unauthenticated("missing Authorization: Bearer <token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return .unauthenticated("the Authorization header must be: Bearer <token>")
        }
        let given = Array(parts[1].trimmingSpaces.utf8)
        var unreadable: [String] = []
        var caller: Caller?
        if let tokenFile {
            do {
                let expected = try SecretFile.read(tokenFile, what: "API token")
                if ConstantTime.equal(given, expected) {
                    caller = Caller(name: Caller.legacyTokenName, owners: [], admin: true)
                }
            } catch {
                logger.error("the API token file cannot be read: \(error)")
                unreadable.append("the API token file")
            }
        }
        if let tokens {
            let (loaded, changed) = tokens.load()
            switch loaded {
            case .tokens(let file):
                if changed { logger.notice("tokens file loaded", metadata: ["file": "\(tokens.path)", "tokens": "\(file.tokens.count)"]) }
                let digest = Array(SHA256.hash(data: given))
                // Compare with every entry (no early exit), so the time does not tell which one matched.
                var match: APIToken?
                for token in file.tokens where ConstantTime.equal(digest, token.digest) { match = token }
                if caller == nil, let match {
                    caller = Caller(name: match.name, owners: match.owners, admin: match.admin)
                }
            case .invalid(let why):
                if changed { logger.error("tokens file refused, its tokens are rejected until it is fixed: \(why)") }
                unreadable.append("the tokens file")
            }
        }
        if let caller { return .allowed(caller) }
        if !unreadable.isEmpty {
            return .unavailable("\(unreadable.joined(separator: " and ")) cannot be read on the server (see its log)")
        }
        return .unauthenticated("unknown token")
    }
}

/// What a write needs: the owners of the service it changes, or an admin token.
enum WriteScope: Sendable, Hashable {
    case service(String, owners: [String])
    /// Sync and actions on the whole controller.
    case admin(String)
}

extension Caller {
    /// Nil when the caller may do it; else why not (a 403's message).
    func refusal(for scope: WriteScope) -> String? {
        if admin { return nil }
        let mine = owners.sorted().joined(separator: ", ")
        switch scope {
        case let .service(name, serviceOwners):
            if serviceOwners.contains(where: owners.contains) { return nil }
            if serviceOwners.isEmpty {
                return "\(name) has no owners in its manifest (metadata.owners): only an admin token may change it; token \(self.name) has owners \(mine)"
            }
            return "changing \(name) needs a token of one of its owners (\(serviceOwners.joined(separator: ", "))) or an admin token; token \(self.name) has owners \(mine)"
        case .admin(let action):
            return "\(action) needs an admin token; token \(self.name) has owners \(mine)"
        }
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
