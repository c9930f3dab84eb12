import CCurl
import Foundation
import Mesos

/// One run of a task's health check: HTTP GET (200-399 healthy), TCP connect, or a command
/// (exit 0 healthy) run with the task's environment in its sandbox, in its own process group.
///
/// Like Mesos (its checker sends HTTP and TCP checks to 127.0.0.1), the probe goes to 127.0.0.1 first;
/// dev agents live on their own loopback addresses, so a task bound to its agent's address is probed
/// there next.
struct HealthProbe: Sendable {
    var check: HealthCheck
    var host: String
    var sandbox: String
    var environment: [String: String]

    func run() async -> Bool {
        let timeout = max(0.1, check.effectiveTimeoutSeconds)
        switch check.type {
        case .http?:
            guard let http = check.http else { return false }
            let scheme = http.scheme ?? "http"
            var path = http.path ?? "/"
            if !path.hasPrefix("/") { path = "/" + path }
            let urls = addresses.map { "\(scheme)://\($0):\(http.port)\(path)" }
            return await runBlocking { urls.contains { Self.httpGet($0, timeout: timeout) } }
        case .tcp?:
            guard let tcp = check.tcp else { return false }
            let addresses = self.addresses
            return await runBlocking {
                addresses.contains { Self.tcpConnect(host: $0, port: UInt16(clamping: tcp.port), timeout: timeout) }
            }
        case .command?:
            guard let command = check.command else { return false }
            return await runCommand(command, timeout: timeout)
        default:
            return false
        }
    }

    /// Where HTTP and TCP checks go: Mesos' 127.0.0.1, then the agent's own address.
    var addresses: [String] { host == "127.0.0.1" ? [host] : ["127.0.0.1", host] }

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
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
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

    private func runCommand(_ command: CommandInfo, timeout: Double) async -> Bool {
        guard let launch = try? CommandLine.make(command, environment: environment) else { return false }
        let log = sandbox + "/.health-check.log"
        let request = SpawnRequest(executable: launch.executable, arguments: launch.arguments,
                                   environment: launch.environment, workingDirectory: sandbox,
                                   stdoutPath: log, stderrPath: log)
        guard let pid = try? ProcessSpawner.spawn(request) else { return false }
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while true {
            if let exit = ProcessControl.reap(pid) {
                ProcessControl.signalGroup(pid, SIGKILL)
                return exit.succeeded
            }
            if ContinuousClock.now >= deadline {
                ProcessControl.signalGroup(pid, SIGKILL)
                while ProcessControl.reap(pid) == nil { try? await Task.sleep(for: .milliseconds(10)) }
                return false
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// argv and environment for a CommandInfo, as the Mesos command executor builds them.
struct CommandLine {
    var executable: String
    var arguments: [String]
    var environment: [String: String]

    struct Invalid: Error, CustomStringConvertible { var description: String }

    static func make(_ command: CommandInfo, environment base: [String: String]) throws(Invalid) -> CommandLine {
        var environment = base
        for variable in command.environment?.variables ?? [] {
            environment[variable.name] = variable.value ?? ""
        }
        guard let value = command.value, !value.isEmpty else { throw Invalid(description: "command has no value") }
        if command.shell {
            return CommandLine(executable: "/bin/sh", arguments: ["sh", "-c", value], environment: environment)
        }
        let argv = command.arguments.isEmpty ? [value] : command.arguments
        return CommandLine(executable: value, arguments: argv, environment: environment)
    }
}
