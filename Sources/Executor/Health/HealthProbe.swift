#if canImport(Glibc)
import Glibc
#endif
import CCurl
import Foundation
import Mesos

/// One run of a health check, blocking: HTTP GET (200-399 healthy), TCP connect, or a command (exit 0 healthy)
/// run with the task's environment in the sandbox, in its own process group, killed at the timeout.
///
/// HTTP and TCP checks go to 127.0.0.1 as Mesos' checker does, then to the agent's own address (dev agents live on
/// their own loopback addresses).
struct HealthProbe: Sendable {
    var check: HealthCheck
    var hosts: [String]
    var sandbox: String
    var environment: [String: String]

    func run() -> Bool {
        let timeout = max(0.1, check.effectiveTimeoutSeconds)
        switch check.type {
        case .http?:
            guard let http = check.http else { return false }
            let scheme = http.scheme ?? "http"
            var path = http.path ?? "/"
            if !path.hasPrefix("/") { path = "/" + path }
            return hosts.contains { Self.httpGet("\(scheme)://\($0):\(http.port)\(path)", timeout: timeout) }
        case .tcp?:
            guard let tcp = check.tcp else { return false }
            return hosts.contains { Self.tcpConnect(host: $0, port: UInt16(clamping: tcp.port), timeout: timeout) }
        case .command?:
            guard let command = check.command else { return false }
            return runCommand(command, timeout: timeout)
        default:
            return false
        }
    }

    static func httpGet(_ url: String, timeout: Double) -> Bool {
        guard let curl = curl_easy_init() else { return false }
        defer { curl_easy_cleanup(curl) }
        converge_curl_setopt_string(curl, CURLOPT_URL, url)
        converge_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
        converge_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
        converge_curl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, 0)
        converge_curl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, 0)
        converge_curl_setopt_write(curl) { _, size, count, _ in size * count }
        guard curl_easy_perform(curl) == CURLE_OK else { return false }
        var status: Int = 0
        converge_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return (200..<400).contains(status)
    }

    static func tcpConnect(host: String, port: UInt16, timeout: Double) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return false }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }

    private func runCommand(_ command: CommandInfo, timeout: Double) -> Bool {
        guard let line = try? TaskCommand(command, base: environment) else { return false }
        let log = open(sandbox + "/health-check.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { if log >= 0 { close(log) } }
        let target = log >= 0 ? log : open("/dev/null", O_WRONLY | O_CLOEXEC)
        guard let pid = try? ProcessSpawn.spawn(executable: line.executable, arguments: line.arguments,
                                                environment: line.environment, workingDirectory: sandbox,
                                                stdout: target, stderr: target) else { return false }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                kill(-pid, SIGKILL)
                return ProcessExit(waitStatus: status).succeeded
            }
            if result < 0 && errno != EINTR { return false }
            if Date() >= deadline {
                kill(-pid, SIGKILL)
                _ = ProcessWait.wait(pid)
                return false
            }
            usleep(10_000)
        }
    }
}
