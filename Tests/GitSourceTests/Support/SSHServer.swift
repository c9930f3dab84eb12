import Foundation

/// A real OpenSSH server on a loopback port, with its own host key and an authorized client key,
/// serving git over ssh as the current user. Needs `/usr/sbin/sshd` (apt: openssh-server).
final class SSHServer {
    static let sshdPath = "/usr/sbin/sshd"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: sshdPath) }

    let port: Int
    let user: String
    let clientKey: String
    let passphraseKey: String
    let knownHosts: String
    private let pid: pid_t

    init(scratch: Scratch) throws {
        let dir = scratch.sub("sshd")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        chmod(dir, 0o700)
        user = String(cString: getpwuid(geteuid()).pointee.pw_name)
        try Self.keygen(dir + "/host_key", passphrase: "")
        clientKey = dir + "/client_key"
        try Self.keygen(clientKey, passphrase: "")
        passphraseKey = dir + "/client_key_pw"
        try Self.keygen(passphraseKey, passphrase: "open sesame")
        let authorized = try String(contentsOfFile: clientKey + ".pub", encoding: .utf8) + (try String(contentsOfFile: passphraseKey + ".pub", encoding: .utf8))
        try Files.write(dir + "/authorized_keys", authorized)
        chmod(dir + "/authorized_keys", 0o600)
        if geteuid() == 0 { try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true) }

        port = try closedLoopbackPort()
        try Files.write(dir + "/sshd_config", """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(dir)/host_key
        AuthorizedKeysFile \(dir)/authorized_keys
        PidFile \(dir)/sshd.pid
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PubkeyAuthentication yes
        PermitRootLogin prohibit-password
        StrictModes no
        UsePAM no
        AllowUsers \(user)

        """)
        let hostPublic = try String(contentsOfFile: dir + "/host_key.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        knownHosts = dir + "/known_hosts"
        try Files.write(knownHosts, "[127.0.0.1]:\(port) \(hostPublic)\n")

        // posix_spawn, not Foundation's Process: sshd closes every inherited descriptor at startup,
        // which makes Foundation believe it exited and block its process monitor in waitpid.
        var pid: pid_t = 0
        let arguments = [Self.sshdPath, "-D", "-e", "-f", dir + "/sshd_config"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let spawned = posix_spawn(&pid, Self.sshdPath, &actions, nil, &argv, environ)
        guard spawned == 0 else { throw CommandFailed(command: "sshd", status: spawned, output: "posix_spawn failed") }
        self.pid = pid
        let deadline = Date().addingTimeInterval(30)
        while !Self.accepts(port: port) {
            guard Date() < deadline, kill(pid, 0) == 0 else {
                stop()
                throw CommandFailed(command: "sshd", status: -1, output: "not listening on \(port)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Lets sshd reap its per-connection children first (once orphaned, nobody reaps them), then kills it.
    func stop() {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, Self.hasChildren(pid) { Thread.sleep(forTimeInterval: 0.05) }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    private static func hasChildren(_ parent: pid_t) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for entry in entries where entry.first?.isNumber == true {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == parent { return true }
        }
        return false
    }

    private static func keygen(_ path: String, passphrase: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        process.arguments = ["-q", "-t", "ed25519", "-N", passphrase, "-C", "converge-test", "-f", path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandFailed(command: "ssh-keygen", status: process.terminationStatus, output: path) }
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
