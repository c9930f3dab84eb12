import Foundation
import LogArchive

/// A real moto S3 server on a free loopback port with SigV4 authentication enforced (an IAM user and key are
/// made first), stopped by pid. A trimmed copy of LogArchiveTests' MotoServer (test targets cannot share files).
final class ArchiveMoto: @unchecked Sendable {  // @unchecked: immutable after init; stopped once, by the test.
    let port: Int
    let credentials: S3Credentials
    private let process: Process

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static func python(_ arguments: [String], environment extra: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        var environment = ProcessInfo.processInfo.environment
        let site = repositoryRoot + "/.python-deps/moto"
        if FileManager.default.fileExists(atPath: site) {
            environment["PYTHONPATH"] = [site, environment["PYTHONPATH"]].compactMap { $0 }.joined(separator: ":")
        }
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        return process
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 ? getsockname(fd, $0, &length) : -1 }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
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

    init() throws {
        port = Self.freePort()
        process = Self.python(["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)],
                              environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "3"])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            let deadline = Date().addingTimeInterval(60)
            while !Self.accepts(port: port) {
                guard Date() < deadline else { throw ExecutorClusterError("moto: nothing listens on 127.0.0.1:\(port) after 60 s") }
                usleep(100_000)
            }
            credentials = try Self.bootstrap(port: port)
        } catch {
            Self.terminate(process)
            throw error
        }
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    func client(bucket: String) -> S3Client {
        S3Client(configuration: S3Configuration(bucket: bucket, region: "us-east-1", endpoint: endpoint, credentials: credentials))
    }

    /// Three unauthenticated IAM calls make a user with an access key allowed everything.
    private static func bootstrap(port: Int) throws -> S3Credentials {
        let script = """
        import boto3, json
        iam = boto3.client('iam', endpoint_url='http://127.0.0.1:\(port)', region_name='us-east-1', aws_access_key_id='bootstrap', aws_secret_access_key='bootstrap')
        iam.create_user(UserName='converge')
        key = iam.create_access_key(UserName='converge')['AccessKey']
        iam.put_user_policy(UserName='converge', PolicyName='all', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}]}))
        print(key['AccessKeyId'] + ' ' + key['SecretAccessKey'])
        """
        let process = python(["-c", script])
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let parts = output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard process.terminationStatus == 0, parts.count == 2 else { throw ExecutorClusterError("moto bootstrap failed: \(output)") }
        return S3Credentials(accessKeyID: parts[0], secretAccessKey: parts[1])
    }

    func stop() { Self.terminate(process) }

    /// SIGTERM, then SIGKILL after 5 s; waits for the exit.
    static func terminate(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}
