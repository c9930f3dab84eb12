/// A git remote and how to authenticate to it.
public struct RemoteSpec: Hashable, Sendable, CustomStringConvertible {
    /// `file:///srv/repo.git`, a plain local path, `https://host/org/repo.git`,
    /// `ssh://git@host:22/org/repo.git` or `git@host:org/repo.git`. Userinfo in an https URL is
    /// accepted but never logged; prefer `credentials`.
    public var url: String
    public var credentials: Credentials
    /// An OpenSSH `known_hosts` file the ssh server's host key must appear in. nil: the host key is
    /// not checked (libgit2 1.5 has no host key checking of its own), so set it in production.
    public var sshKnownHostsPath: String?

    public enum Credentials: Hashable, Sendable {
        case none
        /// An ssh private key file; `username` defaults to the URL's user, then `git`.
        case sshKey(username: String? = nil, privateKeyPath: String, publicKeyPath: String? = nil, passphrase: Secret? = nil)
        /// https basic authentication: a username and a password or token.
        case usernamePassword(username: String, password: Secret)
    }

    public init(url: String, credentials: Credentials = .none, sshKnownHostsPath: String? = nil) {
        self.url = url
        self.credentials = credentials
        self.sshKnownHostsPath = sshKnownHostsPath
    }

    /// The URL without userinfo, for messages.
    public var displayURL: String { Redaction.redactURL(url) }
    public var description: String { displayURL }
}

/// Where a secret comes from. Its description never shows the value.
public enum Secret: Hashable, Sendable, CustomStringConvertible {
    /// The file's contents, without trailing newlines.
    case file(String)
    /// An environment variable of this process.
    case environment(String)
    case literal(String)

    public var description: String {
        switch self {
        case .file(let path): "secret from file \(path)"
        case .environment(let name): "secret from $\(name)"
        case .literal: "secret (literal)"
        }
    }
}
