import Foundation
import Testing
@testable import LogArchive

@Suite struct LogArchiveUnitTests {
    @Test func archiveLocationKeysAndParsing() throws {
        let location = try ArchiveLocation(parsing: "s3://converge-logs/prod/tasks/")
        #expect(location.bucket == "converge-logs" && location.prefix == "prod/tasks")
        let date = Date(timeIntervalSince1970: 1_796_688_098)  // 2026-12-08 UTC
        let key = location.key(service: "web", date: date, taskID: "web.0.abc", file: "stdout.1.gz")
        #expect(key == "prod/tasks/web/2026-12-08/web.0.abc/stdout.1.gz")
        #expect(location.parse(key: key) == ArchivedPiece(key: key, service: "web", day: "2026-12-08", taskID: "web.0.abc", file: "stdout.1.gz"))
        #expect(location.parse(key: "elsewhere/web/2026-12-08/t/stdout") == nil)
        #expect(location.servicePrefix("web") == "prod/tasks/web/")
        let bare = try ArchiveLocation(parsing: "s3://bucket")
        #expect(bare.key(service: "a", date: date, taskID: "t", file: "stderr") == "a/2026-12-08/t/stderr")
        #expect(throws: ArchiveLocation.ParseError.self) { try ArchiveLocation(parsing: "https://bucket/x") }
        #expect(throws: ArchiveLocation.ParseError.self) { try ArchiveLocation(parsing: "s3://UPPER/x") }
    }

    @Test func credentialsFromTheEnvironmentOrAnIniFile() throws {
        let env = try S3Credentials.load(environment: ["AWS_ACCESS_KEY_ID": "AKIA1", "AWS_SECRET_ACCESS_KEY": "s1", "AWS_SESSION_TOKEN": "tok"])
        #expect(env == S3Credentials(accessKeyID: "AKIA1", secretAccessKey: "s1", sessionToken: "tok"))
        #expect(!env.description.contains("s1"))
        #expect(throws: S3Credentials.Missing.self) { try S3Credentials.load(environment: ["AWS_ACCESS_KEY_ID": "AKIA1"]) }
        #expect(throws: S3Credentials.Missing.self) { try S3Credentials.load(environment: [:]) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID().uuidString.prefix(6))").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
        # comment
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = secret/with+chars=

        [profile archive]
        aws_access_key_id=AKIAARCHIVE
        aws_secret_access_key=s2
        aws_session_token=t2
        """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try S3Credentials.load(file: path, environment: ["AWS_ACCESS_KEY_ID": "ignored"]).accessKeyID == "AKIADEFAULT")
        #expect(try S3Credentials.load(file: path, environment: [:]).secretAccessKey == "secret/with+chars=")
        #expect(try S3Credentials.load(environment: ["AWS_SHARED_CREDENTIALS_FILE": path, "AWS_PROFILE": "archive"])
            == S3Credentials(accessKeyID: "AKIAARCHIVE", secretAccessKey: "s2", sessionToken: "t2"))
        #expect(throws: S3Credentials.Missing.self) { try S3Credentials.fromFile(path, profile: "nope") }
        #expect(throws: S3Credentials.Missing.self) { try S3Credentials.fromFile(path + "-missing") }
    }

    @Test func gzipRoundTripsAndReadsWhatGzipWrote() throws {
        let text = Array((0..<5000).map { "line \($0)\n" }.joined().utf8)
        let packed = try Gzip.compress(text)
        #expect(packed.count < text.count / 3 && packed.prefix(2) == [0x1F, 0x8B])
        #expect(try Gzip.decompress(packed) == text)
        #expect(try Gzip.decompress(packed + (try Gzip.compress([1, 2, 3]))) == text + [1, 2, 3])
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array(packed.dropLast(10))) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array("not gzip".utf8)) }
        // The gzip tool's output reads back too.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(text).write(to: URL(fileURLWithPath: dir + "/stdout.1"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", dir + "/stdout.1"]
        try process.run()
        process.waitUntilExit()
        #expect(try Gzip.decompress([UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/stdout.1.gz")))) == text)
    }

    @Test func s3EncodingAndURLs() {
        #expect(S3Encoding.path("a b/c+é~") == "a%20b/c%2B%C3%A9~")
        #expect(S3Encoding.query([("uploadId", "x/y="), ("partNumber", "2")]) == "partNumber=2&uploadId=x/y%3D")
        let credentials = S3Credentials(accessKeyID: "a", secretAccessKey: "b")
        #expect(S3Configuration(bucket: "b1", region: "eu-west-1", credentials: credentials).url(key: "k/1")
            == "https://b1.s3.eu-west-1.amazonaws.com/k/1")
        #expect(S3Configuration(bucket: "b1", region: "us-east-1", endpoint: "http://127.0.0.1:9/", credentials: credentials)
            .url(key: "k 1", query: "list-type=2") == "http://127.0.0.1:9/b1/k%201?list-type=2")
    }

    @Test func piecesSortByRotationSequenceWithTheFinalFileLast() {
        let files = ["stdout", "stdout.000010.gz", "stdout.000002.gz", "stdout.000001"]
        #expect(files.sorted(by: ArchivedPiece.oldestFirst) == ["stdout.000001", "stdout.000002.gz", "stdout.000010.gz", "stdout"])
        #expect(ArchivedPiece.sequence(ofFile: "stderr.000123.gz") == 123)
        #expect(ArchivedPiece.sequence(ofFile: "stderr") == nil)
    }
}
