import Foundation

/// Host keys from an OpenSSH `known_hosts` file, for checking an ssh server's key (libgit2 1.5 does
/// not check host keys itself). Plain host patterns only: `host`, `[host]:port`, comma lists;
/// hashed (`|1|...`) and `@cert-authority` lines are ignored, `@revoked` lines refuse their key.
struct KnownHosts {
    private var accepted: Set<String> = []
    private var revoked: Set<String> = []
    private var hosts: [(patterns: [String], key: String)] = []

    init(path: String) throws(GitSourceError) {
        guard let bytes = FileSystem.readSmallFile(FileSystem.absolute(path), limit: 4 << 20) else {
            throw .credentialsUnavailable("cannot read ssh known_hosts file \(path)")
        }
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var isRevoked = false
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }
                isRevoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3 else { continue }
            let patterns = fields[0].split(separator: ",").map { String($0).lowercased() }
            if isRevoked { revoked.insert(fields[2]); continue }
            hosts.append((patterns, fields[2]))
        }
    }

    enum Verdict: Equatable { case trusted, unknownHost, mismatch, revoked }

    /// Checks the base64 public key blob `key` offered by `host` on `port`.
    func verify(host: String, port: Int, key: String) -> Verdict {
        if revoked.contains(key) { return .revoked }
        let names: Set<String> = port == 22 ? [host.lowercased(), "[\(host.lowercased())]:22"] : ["[\(host.lowercased())]:\(port)"]
        var known = false
        for entry in hosts where entry.patterns.contains(where: names.contains) {
            known = true
            if entry.key == key { return .trusted }
        }
        return known ? .mismatch : .unknownHost
    }
}
