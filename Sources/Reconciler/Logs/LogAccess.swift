import Foundation
import LogArchive
import Mesos

/// How the controller's API reaches task logs: the agents' files API (through `/master/state`), and the S3
/// archive read with the controller's own credentials. Either may be absent (the routes then answer 503).
public struct LogAccess: Sendable {
    public var files: AgentFilesClient?
    public var archive: LogArchiveReader?
    let sandboxes = SandboxCache()

    public init(files: AgentFilesClient? = nil, archive: LogArchiveReader? = nil) {
        self.files = files
        self.archive = archive
    }
}

/// The archive's bucket and layout, and the client that reads it.
public struct LogArchiveReader: Sendable {
    public var location: ArchiveLocation
    public var client: S3Client

    public init(location: ArchiveLocation, client: S3Client) {
        self.location = location
        self.client = client
    }

    /// The pieces of a service (of one task when `taskID` is given), oldest day first, then by task and file.
    public func pieces(service: String, taskID: String? = nil) async throws(S3Error) -> [(ArchivedPiece, S3Client.ObjectSummary)] {
        try await client.list(prefix: location.servicePrefix(service)).compactMap { object in
            guard let piece = location.parse(key: object.key), piece.service == service,
                  taskID == nil || piece.taskID == taskID else { return nil }
            return (piece, object)
        }
    }
}

/// Where each task's sandbox is, remembered so a `--follow` poll does not read `/master/state` every time.
actor SandboxCache {
    private var known: [String: SandboxLocation] = [:]

    func location(frameworkID: String, taskID: String, files: AgentFilesClient) async throws -> SandboxLocation? {
        if let cached = known[taskID] { return cached }
        guard let found = try await files.locate(frameworkID: frameworkID, taskID: taskID) else { return nil }
        if known.count > 10_000 { known.removeAll() }
        known[taskID] = found
        return found
    }
}
