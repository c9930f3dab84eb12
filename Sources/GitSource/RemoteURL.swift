import CGit2

/// A remote URL checked and normalized for libgit2 and for naming its cache folder.
struct RemoteURL {
    /// What libgit2 is given: credentials-free except for an ssh user name.
    let url: String
    /// For messages.
    let display: String
    let isSSH: Bool
    let isHTTP: Bool
    /// The user name written in the URL (`ssh://git@host/x`), if any.
    let userFromURL: String?
    /// The password of an http(s) URL's userinfo (`https://user:token@host/x`); used only when no
    /// credentials are configured, never shown.
    private(set) var passwordFromURL: String?
    /// The host and port of an ssh URL, for checking its host key.
    private(set) var sshHost = ""
    private(set) var sshPort = 22

    init(_ raw: String) throws(GitSourceError) {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .unsupportedURL("") }
        if let schemeEnd = trimmed.range(of: "://") {
            let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
            let rest = trimmed[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            var user: String?
            var hostAndPath = rest
            var password: String?
            if let at = authority.lastIndex(of: "@") {
                let userinfo = authority[..<at]
                let parts = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                user = parts.first.map { String($0).removingPercentEncoding ?? String($0) }
                password = parts.count > 1 ? String(parts[1]).removingPercentEncoding ?? String(parts[1]) : nil
                hostAndPath = rest[rest.index(after: at)...]
            }
            switch scheme {
            case "file":
                url = "file://" + hostAndPath
                isSSH = false; isHTTP = false; userFromURL = nil
            case "http", "https":
                // Userinfo never goes to libgit2 (it would end up in the cache's config); the
                // credentials callback supplies it instead.
                url = scheme + "://" + hostAndPath
                isSSH = false; isHTTP = true; userFromURL = user
                passwordFromURL = password
            case "ssh", "ssh+git", "git+ssh":
                // Only the user name is kept: ssh needs it and it is not secret.
                url = "ssh://" + (user.map { $0 + "@" } ?? "") + hostAndPath
                isSSH = true; isHTTP = false; userFromURL = user
                let hostPort = hostAndPath[..<(hostAndPath.firstIndex(of: "/") ?? hostAndPath.endIndex)]
                if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
                    sshHost = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
                    sshPort = Int(hostPort[close...].dropFirst(2)) ?? 22
                } else if let colon = hostPort.lastIndex(of: ":") {
                    sshHost = String(hostPort[..<colon])
                    sshPort = Int(hostPort[hostPort.index(after: colon)...]) ?? 22
                } else {
                    sshHost = String(hostPort)
                }
            default:
                throw .unsupportedURL(Redaction.redactURL(trimmed))
            }
        } else if let colon = trimmed.firstIndex(of: ":"), !trimmed[..<colon].contains("/"), !trimmed.hasPrefix(".") {
            // scp-like: [user@]host:path
            let hostPart = trimmed[..<colon]
            url = trimmed
            isSSH = true; isHTTP = false
            userFromURL = hostPart.firstIndex(of: "@").map { String(hostPart[..<$0]) }
            sshHost = String(hostPart[(hostPart.firstIndex(of: "@").map { hostPart.index(after: $0) } ?? hostPart.startIndex)...])
        } else {
            url = FileSystem.absolute(trimmed)
            isSSH = false; isHTTP = false; userFromURL = nil
        }
        display = Redaction.redactURL(url)
    }

    /// The cache folder's name: a readable slug of the URL's last part and a hash of the whole URL.
    var cacheFolderName: String {
        LibGit2.ensureInitialized()
        let bytes = Array(url.utf8)
        var oid = git_oid()
        _ = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        let hash = ObjectHex.format(oid).prefix(16)
        let last = url.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? "repo"
        let base = last.hasSuffix(".git") ? String(last.dropLast(4)) : last
        let slug = String(base.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }.prefix(40))
        return (slug.isEmpty ? "repo" : slug) + "-" + hash + ".git"
    }
}
