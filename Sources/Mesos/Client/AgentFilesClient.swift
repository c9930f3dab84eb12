import Foundation

/// Reads task sandboxes through the agents' files API, as a real Mesos 1.11.0 agent serves it (the master
/// does not proxy files): finds the agent and the sandbox from `/master/state`, then `/files/read` and
/// `/files/browse` on the agent. Bytes come back exactly: the agent puts raw file bytes into its JSON
/// (bytes >= 0x80 unescaped), so bodies are decoded as latin-1.
///
/// Thread safety: stateless apart from the master connection's leader memory; safe from any task.
public final class AgentFilesClient: Sendable {
    let connection: MasterConnection
    /// The agent caps one read at 16 pages.
    public static let maxRead: Int64 = 65536

    public init(configuration: MesosClientConfiguration) {
        connection = MasterConnection(configuration: configuration)
    }

    /// Finds a task's agent and its sandbox's virtual path (`/frameworks/FW/executors/EX/runs/latest`, EX =
    /// the task id for command tasks). Nil when the master does not know the task (or its agent).
    public func locate(frameworkID: String, taskID: String) async throws -> SandboxLocation? {
        let state = try await OperatorClient(connection: connection).state()
        for framework in state.frameworks + state.completedFrameworks where framework.id == frameworkID {
            for task in framework.tasks + framework.unreachableTasks + framework.completedTasks where task.id == taskID {
                guard let agent = state.slaves.first(where: { $0.id == task.slaveID }), let endpoint = agent.endpoint() else { return nil }
                let executor = (task.executorID ?? "").isEmpty ? taskID : task.executorID!
                return SandboxLocation(agentID: agent.id, agent: endpoint,
                                       directory: OperatorClient.sandboxPath(frameworkID: FrameworkID(frameworkID), executorID: ExecutorID(executor)))
            }
        }
        return nil
    }

    /// `GET /files/read`: up to `length` bytes (nil: to the end, at most 64 KiB) from `offset` (nil: none,
    /// the answer's offset is the file's size). Throws `MesosError.notFound` when the file or sandbox is gone.
    public func read(agent: MasterEndpoint, path: String, offset: Int64?, length: Int64? = nil) async throws -> FileBytes {
        var query = "path=\(OperatorClient.queryEscape(path))"
        if let offset { query += "&offset=\(offset)" }
        if let length { query += "&length=\(length)" }
        let url = agent.url("/files/read?\(query)")
        let response = try await get(url)
        guard let bytes = Self.decodeRead(response.body) else {
            throw MesosError.decoding(message: "not a files/read answer", url: url)
        }
        return bytes
    }

    /// The file's size (`/files/read` with offset -1).
    public func size(agent: MasterEndpoint, path: String) async throws -> Int64 {
        try await read(agent: agent, path: path, offset: -1).offset
    }

    /// `GET /files/browse`: a directory's entries (a file lists as none).
    public func browse(agent: MasterEndpoint, path: String) async throws -> [FileEntry] {
        let url = agent.url("/files/browse?path=\(OperatorClient.queryEscape(path))")
        let response = try await get(url)
        do {
            return try JSONDecoder().decode([FileEntry].self, from: response.body)
        } catch {
            throw MesosError.decoding(message: "\(error)", url: url)
        }
    }

    private func get(_ url: String) async throws -> HTTPResponse {
        let request = HTTPRequest(method: "GET", url: url, headers: [("Accept", "application/json")],
                                  connectTimeout: connection.configuration.connectTimeout,
                                  totalTimeout: connection.configuration.requestTimeout)
        let response = try await connection.transport.perform(request)
        guard response.status == 200 else { throw MesosError.from(response, url: url) }
        return response
    }

    /// `{"data":"<raw bytes>","offset":N}` read as latin-1, so every byte maps to one character and back.
    public static func decodeRead(_ body: Data) -> FileBytes? {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: body.map { Unicode.Scalar($0) })
        guard let object = try? JSONSerialization.jsonObject(with: Data(String(scalars).utf8)) as? [String: Any],
              let data = object["data"] as? String, let offset = (object["offset"] as? NSNumber)?.int64Value else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.unicodeScalars.count)
        for scalar in data.unicodeScalars {
            guard scalar.value <= 0xFF else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return FileBytes(offset: offset, data: bytes)
    }
}

/// Where a task's sandbox is read: its agent, and the sandbox's path there.
public struct SandboxLocation: Sendable, Hashable {
    public var agentID: String
    public var agent: MasterEndpoint
    /// The virtual path `/frameworks/FW/executors/EX/runs/latest`.
    public var directory: String

    public init(agentID: String, agent: MasterEndpoint, directory: String) {
        self.agentID = agentID
        self.agent = agent
        self.directory = directory
    }
}

/// Bytes read from a file and the offset they start at (or the size, for a size query).
public struct FileBytes: Sendable, Hashable {
    public var offset: Int64
    public var data: [UInt8]

    public init(offset: Int64, data: [UInt8]) {
        self.offset = offset
        self.data = data
    }
}

/// One `/files/browse` entry.
public struct FileEntry: Codable, Sendable, Hashable {
    public var path: String
    public var size: Int64
    /// `ls -l` style, e.g. `-rw-r--r--`, `drwxr-xr-x`.
    public var mode: String
    public var mtime: Double
    public var nlink: Int64?
    public var uid: String?
    public var gid: String?

    public init(path: String, size: Int64, mode: String, mtime: Double, nlink: Int64? = nil, uid: String? = nil, gid: String? = nil) {
        self.path = path
        self.size = size
        self.mode = mode
        self.mtime = mtime
        self.nlink = nlink
        self.uid = uid
        self.gid = gid
    }

    public var isDirectory: Bool { mode.hasPrefix("d") }
}
