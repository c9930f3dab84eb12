import Dispatch
import Foundation
import LogArchive
import Logging
import Mesos

/// Uploads one task's logs to the S3 archive (`ExecutorTaskData.log_archive`), under
/// `PREFIX/{service}/{yyyy-mm-dd of the task's start, UTC}/{taskId}/{file}`:
/// - each rotated piece as soon as it is rotated, as `stdout.000001.gz`, `stdout.000002.gz`, ... (the rotation's
///   sequence number: stable, unlike `stdout.1.gz`, which moves up at every rotation);
/// - the final `stdout` and `stderr` when the task has ended (`finish`).
///
/// Credentials are read here, on the agent (the executor's environment, or the credentials file the task data
/// names), never from the task. Uploads run on the uploader's actor: the log pump only hands a path over.
/// A rotated piece is uploaded from a hard link that the uploader deletes once S3 confirmed the object; the
/// piece itself stays in the sandbox under the rotation's `keep` count. A piece that could not be uploaded keeps
/// its link (`.stdout.000001.gz`) in the sandbox.
final class TaskLogArchive: Sendable {
    let uploader: LogUploader
    let location: ArchiveLocation
    let service: String
    let taskID: String
    let started: Date

    init(settings: ExecutorTaskData.LogArchive, service: String?, taskID: String, started: Date,
         environment: [String: String], uploadDeadline: Double, logger: Logger) throws {
        let credentials = try S3Credentials.load(file: settings.credentialsFile, environment: environment)
        let configuration = S3Configuration(
            bucket: settings.bucket, region: S3Configuration.region(settings.region, environment: environment),
            endpoint: settings.endpoint, credentials: credentials)
        uploader = LogUploader(client: S3Client(configuration: configuration),
                               policy: LogUploader.Policy(deadline: uploadDeadline), logger: logger)
        location = ArchiveLocation(bucket: settings.bucket, prefix: settings.prefix ?? "")
        self.service = service.flatMap { $0.isEmpty ? nil : $0 } ?? "unnamed"
        self.taskID = taskID
        self.started = started
    }

    func key(_ file: String) -> String {
        location.key(service: service, date: started, taskID: taskID, file: file)
    }

    /// Rotated pieces' uploads, so `finish` can wait for them.
    private let pieces = PieceUploads()

    /// For `RotatingLog`: uploads a rotated piece in the background, deleting the link once confirmed.
    var pieceHandler: RotatingLog.PieceHandler {
        { [self] file, name in
            let uploader = uploader, objectKey = key(name)
            pieces.add(name, Task { await uploader.upload(file: file, key: objectKey, deleteAfterUpload: true) })
        }
    }

    /// Uploads the final `names` (kept locally) from `sandbox` and waits for every upload still in flight, at
    /// most `timeout` seconds. Returns the files not confirmed (nil: the deadline passed first).
    func finish(sandbox: String, names: [String], timeout: Double) -> [String]? {
        let result = FinishResult()
        let uploader = uploader, pieces = pieces
        let keys = names.map { ($0, key($0)) }
        let work = Task {
            let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
                for (name, key) in keys {
                    group.addTask {
                        let outcome = await uploader.upload(file: "\(sandbox)/\(name)", key: key, deleteAfterUpload: false)
                        if case .uploaded = outcome { return (name, true) }
                        return (name, false)
                    }
                }
                var all: [(String, Bool)] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            var missed = outcomes.filter { !$0.1 }.map(\.0)
            for (name, upload) in pieces.all {
                if case .failed = await upload.value { missed.append(name) }
            }
            result.set(missed.sorted())
        }
        guard result.wait(timeout: timeout) else {
            work.cancel()
            return nil
        }
        return result.value
    }
}

/// The outcome of `finish`, handed from its task to the waiting thread.
private final class FinishResult: @unchecked Sendable {  // @unchecked: `stored` is only touched under `lock`.
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var stored: [String] = []

    func set(_ files: [String]) {
        lock.withLock { stored = files }
        done.signal()
    }

    func wait(timeout: Double) -> Bool { done.wait(timeout: .now() + timeout) == .success }
    var value: [String] { lock.withLock { stored } }
}

/// The uploads of rotated pieces, added from the rotation queue and awaited by `finish`.
private final class PieceUploads: @unchecked Sendable {  // @unchecked: `uploads` is only touched under `lock`.
    private let lock = NSLock()
    private var uploads: [(String, Task<LogUploader.Outcome, Never>)] = []

    func add(_ name: String, _ upload: Task<LogUploader.Outcome, Never>) { lock.withLock { uploads.append((name, upload)) } }
    var all: [(String, Task<LogUploader.Outcome, Never>)] { lock.withLock { uploads } }
}
