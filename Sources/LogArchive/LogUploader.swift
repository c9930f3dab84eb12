import Foundation
import Logging

/// Uploads log pieces to the archive in the background: the caller (the executor's log pump) hands a file
/// over with `submit` and goes on at once. Each upload retries with exponential backoff and full jitter
/// until its deadline; the local file is deleted only after S3 confirmed the object (HEAD: size and ETag),
/// and a failed upload keeps the file for the next try.
public actor LogUploader {
    public struct Policy: Sendable {
        public var initialBackoff: Double = 0.5
        public var maxBackoff: Double = 30
        /// Give up an upload (keeping the file) after this long.
        public var deadline: Double = 600
        public init(initialBackoff: Double = 0.5, maxBackoff: Double = 30, deadline: Double = 600) {
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.deadline = deadline
        }
    }

    public enum Outcome: Sendable, Equatable {
        case uploaded(S3Client.Uploaded, attempts: Int)
        /// The file stays where it was.
        case failed(key: String, error: S3Error, attempts: Int)
    }

    public let client: S3Client
    public let policy: Policy
    private let logger: Logger
    private var inFlight: [String: Task<Outcome, Never>] = [:]

    public init(client: S3Client, policy: Policy = Policy(), logger: Logger = Logger(label: "converge.log-archive")) {
        self.client = client
        self.policy = policy
        self.logger = logger
    }

    /// Hands a file over and returns at once; the upload runs in the background.
    public nonisolated func submit(file: String, key: String, deleteAfterUpload: Bool = true) {
        Task { _ = await self.upload(file: file, key: key, deleteAfterUpload: deleteAfterUpload) }
    }

    /// Uploads one file with retries (a second call for a file already in flight joins the first).
    public func upload(file: String, key: String, deleteAfterUpload: Bool = true) async -> Outcome {
        if let running = inFlight[file] { return await running.value }
        let client = client, policy = policy, logger = logger
        // The task leaves `inFlight` before its value is ready, so whoever awaits it sees it gone.
        let task = Task {
            let outcome = await Self.run(client: client, policy: policy, logger: logger, file: file, key: key, delete: deleteAfterUpload)
            await self.finished(file)
            return outcome
        }
        inFlight[file] = task
        return await task.value
    }

    private func finished(_ file: String) { inFlight[file] = nil }

    /// Waits until nothing is in flight.
    public func waitUntilIdle() async {
        while let (_, task) = inFlight.first { _ = await task.value }
    }

    public var pendingFiles: [String] { Array(inFlight.keys) }

    private static func run(client: S3Client, policy: Policy, logger: Logger, file: String, key: String, delete: Bool) async -> Outcome {
        let deadline = Date().addingTimeInterval(policy.deadline)
        var attempt = 0
        while true {
            attempt += 1
            do {
                let uploaded = try await client.upload(file: file, key: key)
                if delete {
                    do { try FileManager.default.removeItem(atPath: file) } catch {
                        logger.warning("uploaded log piece not deleted", metadata: ["file": "\(file)", "error": "\(error)"])
                    }
                }
                logger.info("log piece archived", metadata: ["key": "\(key)", "bytes": "\(uploaded.size)", "attempts": "\(attempt)"])
                return .uploaded(uploaded, attempts: attempt)
            } catch {
                let delay = Backoff.delay(attempt: attempt, initial: policy.initialBackoff, maximum: policy.maxBackoff)
                guard error.isRetryable, Date().addingTimeInterval(delay) < deadline, !Task.isCancelled else {
                    logger.error("log piece not archived; the file is kept", metadata: ["file": "\(file)", "error": "\(error)"])
                    return .failed(key: key, error: error, attempts: attempt)
                }
                logger.warning("log upload failed, retrying", metadata: ["key": "\(key)", "error": "\(error)", "in": "\(delay)s"])
                try? await Task.sleep(for: .seconds(delay))
            }
        }
    }
}

/// Exponential backoff with full jitter: a random delay in [0, min(maximum, initial * 2^(attempt-1))],
/// never below a tenth of the cap (so retries do not spin).
enum Backoff {
    static func delay(attempt: Int, initial: Double, maximum: Double) -> Double {
        let cap = min(maximum, initial * pow(2, Double(max(0, attempt - 1))))
        return Double.random(in: (cap / 10)...cap)
    }
}
