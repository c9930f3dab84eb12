import ArgumentParser
import Foundation
import LogArchive
import Mesos
import Reconciler

/// `--log-archive s3://BUCKET/PREFIX [--s3-endpoint URL] [--s3-region R]`: where task logs are archived.
/// The controller reads the archive with its own credentials (environment or AWS_SHARED_CREDENTIALS_FILE).
struct LogArchiveOptions: ParsableArguments {
    @Option(help: ArgumentHelp("S3 location of archived task logs (keys PREFIX/service/day/task/file).", valueName: "s3://bucket/prefix"))
    var logArchive: String?

    @Option(help: ArgumentHelp("S3-compatible endpoint (path-style URLs), e.g. http://127.0.0.1:9000.", valueName: "url"))
    var s3Endpoint: String?

    @Option(help: ArgumentHelp("S3 region (default: $AWS_REGION or us-east-1).", valueName: "region"))
    var s3Region: String?

    func validate() throws {
        if let logArchive { _ = try ArchiveLocation(parsing: logArchive) }
    }

    /// The API's log access: agents' files through the masters, and the archive when configured.
    func access(masters: [String]) throws -> LogAccess {
        let files = AgentFilesClient(configuration: try MesosClientConfiguration(masters: masters))
        guard let logArchive else { return LogAccess(files: files) }
        let location = try ArchiveLocation(parsing: logArchive)
        let credentials: S3Credentials
        do { credentials = try S3Credentials.load() } catch { throw ValidationError("--log-archive: \(error)") }
        let configuration = S3Configuration(bucket: location.bucket, region: S3Configuration.region(s3Region), endpoint: s3Endpoint,
                                            credentials: credentials)
        return LogAccess(files: files, archive: LogArchiveReader(location: location, client: S3Client(configuration: configuration)))
    }

    /// What the executors are told (no credentials: they read their own on the agent); nil without `--log-archive`.
    func executorSettings() throws -> ExecutorTaskData.LogArchive? {
        guard let logArchive else { return nil }
        let location = try ArchiveLocation(parsing: logArchive)
        return ExecutorTaskData.LogArchive(bucket: location.bucket, prefix: location.prefix.isEmpty ? nil : location.prefix,
                                           endpoint: s3Endpoint, region: s3Region)
    }
}
