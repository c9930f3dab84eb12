import CGit2
import Foundation

/// Credentials with their secrets read, ready for libgit2's callback. Never printed.
struct ResolvedCredentials: Sendable {
    enum Kind: Sendable {
        case none
        case sshKey(username: String?, privateKey: String, publicKey: String?, passphrase: String?)
        case usernamePassword(username: String, password: String)
    }

    let kind: Kind

    /// Secret values, for scrubbing them from any message.
    var secrets: [String] {
        switch kind {
        case .none: []
        case .sshKey(_, _, _, let passphrase): passphrase.map { [$0] } ?? []
        case .usernamePassword(_, let password): [password]
        }
    }

    init(_ credentials: RemoteSpec.Credentials) throws(GitSourceError) {
        switch credentials {
        case .none:
            kind = .none
        case .sshKey(let username, let privateKeyPath, let publicKeyPath, let passphrase):
            let privateKey = FileSystem.absolute(privateKeyPath)
            guard access(privateKey, R_OK) == 0 else {
                throw .credentialsUnavailable("ssh private key \(privateKeyPath) is not readable: \(FileSystem.systemError())")
            }
            let publicKey = publicKeyPath.map(FileSystem.absolute)
            if let publicKey, access(publicKey, R_OK) != 0 {
                throw .credentialsUnavailable("ssh public key \(publicKey) is not readable: \(FileSystem.systemError())")
            }
            kind = .sshKey(username: username, privateKey: privateKey, publicKey: publicKey,
                           passphrase: try passphrase.map { secret throws(GitSourceError) in try Self.read(secret) })
        case .usernamePassword(let username, let password):
            kind = .usernamePassword(username: username, password: try Self.read(password))
        }
    }

    static func read(_ secret: Secret) throws(GitSourceError) -> String {
        switch secret {
        case .literal(let value):
            return value
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw .credentialsUnavailable("environment variable \(name) is not set")
            }
            return value
        case .file(let path):
            guard let bytes = FileSystem.readSmallFile(FileSystem.absolute(path), limit: 64 * 1024) else {
                throw .credentialsUnavailable("cannot read secret file \(path)")
            }
            let value = String(decoding: bytes, as: UTF8.self).trimmingTrailingNewlines()
            guard !value.isEmpty else { throw .credentialsUnavailable("secret file \(path) is empty") }
            return value
        }
    }
}

/// State shared with libgit2's callbacks during one fetch (passed as their payload).
final class FetchSession {
    let credentials: ResolvedCredentials
    let userFromURL: String?
    let deadline: ContinuousClock.Instant
    let started = ContinuousClock.now
    private(set) var keyAttempts = 0
    private(set) var passwordAttempts = 0
    /// Set when authentication failed, with the reason to report.
    var authFailure: String?
    /// Set when the ssh host key was refused, with the reason to report.
    var hostKeyFailure: String?
    var knownHosts: KnownHosts?
    var sshHost = ""
    var sshPort = 22
    var timedOut = false

    init(credentials: ResolvedCredentials, userFromURL: String?, deadline: ContinuousClock.Instant) {
        self.credentials = credentials
        self.userFromURL = userFromURL
        self.deadline = deadline
    }

    /// False once the deadline passed: libgit2 then aborts the transfer.
    func stillInTime() -> Bool {
        if ContinuousClock.now > deadline { timedOut = true }
        return !timedOut
    }

    func acquire(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, urlUser: String?, allowed: UInt32) -> Int32 {
        let allowUsername = allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0
        let allowKey = allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0
        let allowPassword = allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0
        switch credentials.kind {
        case .none:
            return fail("the remote requires credentials and none are configured")
        case .sshKey(let username, let privateKey, let publicKey, let passphrase):
            let user = username ?? urlUser ?? userFromURL ?? "git"
            if allowUsername && !allowKey {
                return git_credential_username_new(out, user)
            }
            guard allowKey else { return fail("the remote does not accept ssh keys") }
            keyAttempts += 1
            if keyAttempts > 1 { return fail("the ssh key was rejected") }
            return git_credential_ssh_key_new(out, user, publicKey, privateKey, passphrase)
        case .usernamePassword(let username, let password):
            guard allowPassword else { return fail("the remote does not accept a username and password") }
            passwordAttempts += 1
            if passwordAttempts > 1 { return fail("the username or password/token was rejected") }
            return git_credential_userpass_plaintext_new(out, username, password)
        }
    }

    /// libgit2's certificate check: ssh host keys against `knownHosts`; TLS keeps libgit2's verdict.
    func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>?, valid: Int32) -> Int32 {
        guard let cert, cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else { return GIT_PASSTHROUGH.rawValue }
        guard let knownHosts else { return 0 }  // not configured: accepted, as libgit2 1.5 would
        let raw = UnsafeMutableRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        guard raw.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let hostkey = raw.hostkey else {
            hostKeyFailure = "the ssh server's host key could not be read"
            return -1
        }
        let key = Data(bytes: hostkey, count: raw.hostkey_len).base64EncodedString()
        switch knownHosts.verify(host: sshHost, port: sshPort, key: key) {
        case .trusted: return 0
        case .unknownHost: hostKeyFailure = "host key of \(sshHost):\(sshPort) is not in the known_hosts file"
        case .mismatch: hostKeyFailure = "host key of \(sshHost):\(sshPort) does not match the known_hosts file (possible man-in-the-middle)"
        case .revoked: hostKeyFailure = "host key of \(sshHost):\(sshPort) is revoked in the known_hosts file"
        }
        git_error_set_str(Int32(GIT_ERROR_SSH.rawValue), hostKeyFailure)
        return -1
    }

    private func fail(_ reason: String) -> Int32 {
        authFailure = reason
        git_error_set_str(Int32(GIT_ERROR_CALLBACK.rawValue), reason)
        return GIT_EAUTH.rawValue
    }
}
