import Foundation

/// Read-only operator endpoints of the master and maintenance calls (sandbox files: `AgentFilesClient`).
///
/// Thread safety: stateless apart from the shared leader memory; safe from any task.
public final class OperatorClient: Sendable {
    let connection: MasterConnection

    public convenience init(configuration: MesosClientConfiguration) {
        self.init(connection: MasterConnection(configuration: configuration))
    }

    init(connection: MasterConnection) {
        self.connection = connection
    }

    /// `GET /master/state`, decoded (legacy format).
    public func state() async throws -> MasterState {
        try await getJSON(MasterState.self, path: "/master/state")
    }

    /// `GET /master/health`: returns normally on 200, throws otherwise.
    public func health() async throws {
        _ = try await connection.send(method: "GET", path: "/master/health", retryTransport: true)
    }

    /// Whether `/master/health` answers 200.
    public func isHealthy() async -> Bool {
        (try? await health()) != nil
    }

    /// `GET /version`.
    public func version() async throws -> VersionInfo {
        try await getJSON(VersionInfo.self, path: "/version")
    }

    /// `POST /api/v1` with an operator call (maintenance, drain, ...); returns the answer's body.
    @discardableResult
    public func send(_ call: OperatorCall) async throws -> Data {
        let body = try MesosJSON.encode(call)
        return try await connection.send(method: "POST", path: "/api/v1", body: body,
                                         headers: MasterConnection.jsonHeaders).body
    }

    /// The agent's virtual path of an executor's latest sandbox (a command task's executor id is its task id).
    public static func sandboxPath(frameworkID: FrameworkID, executorID: ExecutorID, file: String? = nil) -> String {
        let base = "/frameworks/\(frameworkID.value)/executors/\(executorID.value)/runs/latest"
        return file.map { "\(base)/\($0)" } ?? base
    }

    private func getJSON<T: Decodable>(_ type: T.Type, path: String) async throws -> T {
        let response = try await connection.send(method: "GET", path: path,
                                                 headers: [("Accept", "application/json")], retryTransport: true)
        do {
            return try MesosJSON.decode(type, from: response.body)
        } catch {
            throw MesosError.decoding(message: "\(error)", url: connection.currentEndpoint.url(path))
        }
    }

    static func queryEscape(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

extension MasterState.Agent {
    /// The agent's HTTP endpoint, from its pid (`slave(1)@host:port`) or hostname and port.
    public func endpoint(scheme: String = "http") -> MasterEndpoint? {
        if let pid, let at = pid.lastIndex(of: "@") {
            let authority = pid[pid.index(after: at)...]
            if !authority.isEmpty { return MasterEndpoint(scheme: scheme, authority: String(authority)) }
        }
        return MasterEndpoint(scheme: scheme, authority: "\(hostname):\(port ?? 5051)")
    }
}
