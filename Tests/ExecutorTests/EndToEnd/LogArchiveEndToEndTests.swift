import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LogArchive
import Mesos
import Testing
@testable import DevCluster
@testable import Executor

/// The real executor uploads a task's logs to a real moto S3 server: the rotated pieces as they rotate, the final
/// files when the task ends. The credentials reach the executor through the agent's environment only.
@Suite(.serialized) struct LogArchiveEndToEndTests {
    @Test func rotatedPiecesAndFinalLogsReachTheArchiveByteForByte() async throws {
        let moto = try ArchiveMoto()
        defer { moto.stop() }
        let bucket = "converge-logs"
        let client = moto.client(bucket: bucket)
        try await client.createBucket()
        let location = ArchiveLocation(bucket: bucket, prefix: "archive/test")
        let secret = moto.credentials.secretAccessKey
        func today() -> String { String(ArchiveLocation(bucket: bucket).key(service: "s", date: Date(), taskID: "t", file: "f").split(separator: "/")[1]) }
        let dayAtStart = today()
        let count = 200_000  // ~1.3 MB of "line N\n": at least one rotation at 1 MB
        let expected = (1...count).map { "line \($0)\n" }.joined()

        try await ExecutorCluster.with(portBase: 46700, configure: { config in
            config.executorEnvironmentVariables = [
                "AWS_ACCESS_KEY_ID": moto.credentials.accessKeyID, "AWS_SECRET_ACCESS_KEY": secret,
                "CONVERGE_LOG_UPLOAD_TIMEOUT": "60",
            ]
        }) { setup in
            var data = ExecutorTaskData(command: CommandInfo(
                value: "exec python3 -c \"import sys\nw=sys.stdout.write\nfor i in range(1, \(count + 1)): w('line %d\\\\n' % i)\nsys.stderr.write('bye\\\\n')\""))
            data.logs = .init(maxSizeMB: 1, keep: 1, compress: true)
            data.service = "printer"
            data.logArchive = .init(bucket: bucket, prefix: "archive/test", endpoint: moto.endpoint, region: "us-east-1")
            try await setup.launch([try setup.task("printer-1", data: data)])
            let end = try await setup.waitFor("printer-1", [.finished, .failed], timeout: 120)
            #expect(end.state == .finished, "\(end.message ?? "")")
            let sandbox = setup.sandbox("printer-1")
            #expect(try await poll(timeout: 90) { log(of: sandbox).contains("converge-executor exited") }, "\(log(of: sandbox))")
            #expect(log(of: sandbox).contains("logs archived to s3://\(bucket)/archive/test/printer/"))

            // No credential in what the master shows.
            let (state, _) = try await URLSession.shared.data(from: URL(string: "\(setup.cluster.masterURL)/master/state")!)
            let stateText = String(decoding: state, as: UTF8.self)
            #expect(stateText.contains("printer-1"))
            #expect(!stateText.contains(secret) && !stateText.contains(moto.credentials.accessKeyID))
            // Every upload link was removed once confirmed; the rotated pieces stay under the keep count.
            let left = try FileManager.default.contentsOfDirectory(atPath: sandbox)
            #expect(!left.contains { $0.hasPrefix(".stdout.") || $0.hasPrefix(".stderr.") }, "\(left)")
            #expect(left.contains("stdout.1.gz"))
        }

        // After the task and its cluster are gone, the archive alone has it all: read it back as the controller does.
        // The whole (test-only) bucket: this moto checks a LIST's signature against the decoded query, so a prefix
        // with '/' (encoded %2F by the client, as AWS wants) is refused here.
        let objects = try await client.list(prefix: "")
        let pieces = objects.compactMap { location.parse(key: $0.key) }
        #expect(pieces.count == objects.count && pieces.allSatisfy { $0.service == "printer" })
        #expect(Set(pieces.map(\.taskID)) == ["printer-1"])
        // The key's day is the task's start day (UTC): one day for every piece.
        #expect(Set(pieces.map(\.day)).count == 1)
        #expect([dayAtStart, today()].contains(pieces.first?.day ?? ""))
        let stdout = pieces.filter { $0.file == "stdout" || $0.file.hasPrefix("stdout.") }
            .sorted { ArchivedPiece.oldestFirst($0.file, $1.file) }
        #expect(stdout.count >= 2, "\(stdout.map(\.file))")
        #expect(stdout.dropLast().allSatisfy { $0.file.hasSuffix(".gz") && ArchivedPiece.sequence(ofFile: $0.file) != nil })
        #expect(stdout.last?.file == "stdout")
        #expect(stdout.dropLast().map { ArchivedPiece.sequence(ofFile: $0.file) } == Array(1..<stdout.count).map { Optional($0) })
        var bytes: [UInt8] = []
        for piece in stdout {
            let object = try await client.get(key: piece.key)
            bytes += try piece.file.hasSuffix(".gz") ? LogArchive.Gzip.decompress(object) : object
        }
        #expect(bytes.count == expected.utf8.count)
        #expect(bytes == Array(expected.utf8))
        let stderr = try #require(pieces.first { $0.file == "stderr" })
        #expect(try await client.get(key: stderr.key) == Array("bye\n".utf8))
    }

    @Test func aDeadArchiveKeepsTheFilesAndDoesNotHoldTheExecutor() async throws {
        let deadPort = ArchiveMoto.freePort()  // nothing listens there
        try await ExecutorCluster.with(portBase: 46740, configure: { config in
            config.executorEnvironmentVariables = [
                "AWS_ACCESS_KEY_ID": "AKIDEAD", "AWS_SECRET_ACCESS_KEY": "dead", "CONVERGE_LOG_UPLOAD_TIMEOUT": "3",
            ]
        }) { setup in
            let count = 120_000  // ~1.2 MB: one rotation at 1 MB
            var data = ExecutorTaskData(command: CommandInfo(
                value: "exec python3 -c \"import sys\nw=sys.stdout.write\nfor i in range(1, \(count + 1)): w('line %d\\\\n' % i)\""))
            data.logs = .init(maxSizeMB: 1, keep: 3, compress: true)
            data.service = "printer"
            data.logArchive = .init(bucket: "converge-logs", endpoint: "http://127.0.0.1:\(deadPort)", region: "us-east-1")
            try await setup.launch([try setup.task("dead-1", data: data)])
            let end = try await setup.waitFor("dead-1", [.finished, .failed], timeout: 120)
            #expect(end.state == .finished, "\(end.message ?? "")")
            let sandbox = setup.sandbox("dead-1")
            // Bounded by CONVERGE_LOG_UPLOAD_TIMEOUT (3 s) plus one request, not by the uploader's retries.
            #expect(try await poll(timeout: 40) { log(of: sandbox).contains("converge-executor exited") }, "\(log(of: sandbox))")
            #expect(log(of: sandbox).contains("not archived (kept in the sandbox)") || log(of: sandbox).contains("giving up"))
            // Nothing was deleted: the upload link, the rotated piece and the final file are all there, bytes intact.
            let left = try FileManager.default.contentsOfDirectory(atPath: sandbox)
            #expect(left.contains(".stdout.000001.gz") && left.contains("stdout.1.gz") && left.contains("stdout"), "\(left)")
            let rotated = try LogArchive.Gzip.decompress(Array(try Data(contentsOf: URL(fileURLWithPath: sandbox + "/stdout.1.gz"))))
            let linked = try LogArchive.Gzip.decompress(Array(try Data(contentsOf: URL(fileURLWithPath: sandbox + "/.stdout.000001.gz"))))
            let last = Array(try Data(contentsOf: URL(fileURLWithPath: sandbox + "/stdout")))
            #expect(linked == rotated)
            #expect(rotated + last == Array((1...count).map { "line \($0)\n" }.joined().utf8))
        }
    }
}
