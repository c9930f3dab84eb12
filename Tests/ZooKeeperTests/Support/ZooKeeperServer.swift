import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real ZooKeeper (Debian's `zookeeper` package) on a free loopback port with a throw-away data dir,
/// started as its own process group and stopped by pid.
final class ZooKeeperServer: @unchecked Sendable {  // @unchecked: immutable after init except `process`, used by one test.
    let port: Int
    let directory: URL
    let process: Process
    var hosts: String { "127.0.0.1:\(port)" }
    func address(_ path: String) -> String { "zk://\(hosts)\(path)" }

    static let jar = "/usr/share/java/zookeeper.jar"

    /// Starts the server and waits until it answers `ruok` (deadline 30 s).
    init(tickTimeMs: Int = 2000) throws {
        guard FileManager.default.fileExists(atPath: Self.jar) else {
            throw ZooKeeperServerError("ZooKeeper is not installed (\(Self.jar)); run scripts/setup")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("converge-zk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        port = try Self.freePort()
        let config = """
            tickTime=\(tickTimeMs)
            dataDir=\(directory.appendingPathComponent("data").path)
            clientPort=\(port)
            clientPortAddress=127.0.0.1
            admin.enableServer=false
            4lw.commands.whitelist=ruok,srvr,stat,cons
            """
        try config.write(to: directory.appendingPathComponent("zoo.cfg"), atomically: true, encoding: .utf8)
        var classpath = "/etc/zookeeper/conf:\(Self.jar)"
        if FileManager.default.fileExists(atPath: "/usr/share/java/slf4j-simple.jar") { classpath += ":/usr/share/java/slf4j-simple.jar" }
        process = Process()
        // Foundation starts the child in a process group of its own (no setsid: it would fork and lose the pid).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/java")
        process.arguments = ["-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
                             "-Dzookeeper.log.dir=\(directory.path)", "-cp", classpath,
                             "org.apache.zookeeper.server.quorum.QuorumPeerMain", directory.appendingPathComponent("zoo.cfg").path]
        let log = directory.appendingPathComponent("zk.out")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? fourLetterWord("ruok")) == "imok" { return }
            guard process.isRunning else { break }
            usleep(100_000)
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        stop()
        throw ZooKeeperServerError("ZooKeeper did not answer ruok within 30 s:\n\(output.suffix(2000))")
    }

    deinit { stop() }

    /// SIGKILLs the server's process group and removes the data dir.
    func stop() {
        if process.isRunning {
            let pid = process.processIdentifier
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Sends a four-letter word (`ruok`, `srvr`, `cons`) and returns the reply.
    func fourLetterWord(_ word: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ZooKeeperServerError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ZooKeeperServerError("connect failed") }
        _ = word.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: reply, as: UTF8.self)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw ZooKeeperServerError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ZooKeeperServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
