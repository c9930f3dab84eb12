import Foundation

/// What `converge dev` leaves for the CLI: its API address and a local admin token, in
/// `$XDG_CONFIG_HOME/converge` (default `~/.config/converge`): `dev-server` (URL, then the dev
/// process's pid) and `dev-token` (mode 0600). Used only while that process lives, and the token only
/// when talking to that address.
struct DevCredentials: Equatable {
    var server: String
    var token: String
    var pid: Int32

    static var directory: URL {
        let env = ProcessInfo.processInfo.environment
        if let config = env["XDG_CONFIG_HOME"], !config.isEmpty {
            return URL(fileURLWithPath: config).appendingPathComponent("converge")
        }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".config/converge")
    }

    static var serverFile: URL { directory.appendingPathComponent("dev-server") }
    static var tokenFile: URL { directory.appendingPathComponent("dev-token") }

    /// A new random token (256 bits, hex).
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }

    /// Writes both files (the token file created 0600 before the token goes in) and returns the token file's path.
    @discardableResult
    func write() throws -> String {
        try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let tokenPath = Self.tokenFile.path
        try? FileManager.default.removeItem(atPath: tokenPath)
        guard FileManager.default.createFile(atPath: tokenPath, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw fail("cannot create \(tokenPath)")
        }
        let handle = try FileHandle(forWritingTo: Self.tokenFile)
        try handle.write(contentsOf: Data((token + "\n").utf8))
        try handle.close()
        try Data("\(server)\n\(pid)\n".utf8).write(to: Self.serverFile, options: .atomic)
        return tokenPath
    }

    /// The credentials of a running `converge dev`, if any.
    static func current() -> DevCredentials? {
        guard let serverText = try? String(contentsOf: serverFile, encoding: .utf8),
              let tokenText = try? String(contentsOf: tokenFile, encoding: .utf8)
        else { return nil }
        let lines = serverText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count >= 2, let pid = Int32(lines[1]), pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return nil }
        let token = tokenText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { return nil }
        return DevCredentials(server: lines[0], token: token, pid: pid)
    }

    /// Removes the files if they are still this process's.
    static func remove(pid: Int32) {
        guard let serverText = try? String(contentsOf: serverFile, encoding: .utf8),
              serverText.split(separator: "\n").dropFirst().first.map(String.init) == String(pid)
        else { return }
        try? FileManager.default.removeItem(at: serverFile)
        try? FileManager.default.removeItem(at: tokenFile)
    }
}
