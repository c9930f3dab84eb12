import Foundation
import Testing
@testable import LogArchive

/// The S3 client and the uploader against a real moto server that checks every SigV4 signature.
@Suite(.serialized) struct S3ClientTests {
    static func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("s3-\(UUID().uuidString.prefix(8))").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func putGetHeadListRoundTripsByteExact() async throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let client = S3Client(configuration: moto.configuration())
        try await client.createBucket()
        let all = [UInt8](0...255) + Array("hé€ line\n".utf8)
        let key = "logs/web/2026-12-08/web.0.abc_x-1~/stdout.1.gz"
        let etag = try await client.put(key: key, bytes: all)
        #expect(try await client.get(key: key) == all)
        #expect(try await client.get(key: key, range: 10...19) == Array(all[10...19]))
        let head = try #require(try await client.head(key: key))
        #expect(head.size == Int64(all.count) && head.etag == etag)
        #expect(try await client.head(key: "logs/missing") == nil)
        await #expect(throws: S3Error.self) { try await client.get(key: "logs/missing") }

        // ListObjectsV2 follows continuation tokens (pages of 2 over 5 keys).
        for index in 0..<4 { try await client.put(key: "logs/web/2026-12-08/web.1.x/stdout.\(index)", bytes: [UInt8(index)]) }
        try await client.put(key: "other/file", bytes: [1])
        let listed = try await client.list(prefix: "logs/", pageSize: 2)
        #expect(listed.map(\.key) == [key] + (0..<4).map { "logs/web/2026-12-08/web.1.x/stdout.\($0)" }.sorted()
            || listed.map(\.key).sorted() == ([key] + (0..<4).map { "logs/web/2026-12-08/web.1.x/stdout.\($0)" }).sorted())
        #expect(listed.count == 5)
        #expect(listed.first { $0.key == key }?.size == Int64(all.count))
    }

    @Test func largeFilesGoUpInPartsAndComeBackByteExact() async throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let client = S3Client(configuration: moto.configuration())
        try await client.createBucket()
        let bytes = [UInt8](try #require(FileHandle(forReadingAtPath: "/dev/urandom")).readData(ofLength: 17 * 1024 * 1024))
        let file = try Self.temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let uploaded = try await client.upload(file: file, key: "big/stdout.1")
        #expect(uploaded.size == Int64(bytes.count))
        #expect(uploaded.etag.hasSuffix("-3\""), "a 17 MiB file in 8 MiB parts: \(uploaded.etag)")
        #expect(try await client.get(key: "big/stdout.1") == bytes)
        // A small file is one PUT.
        let small = try Self.temporaryFile(Array("small\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: small) }
        #expect(!(try await client.upload(file: small, key: "small").etag.contains("-")))
    }

    @Test func uploaderRetriesUntilTheServerIsUpThenDeletesTheConfirmedFile() async throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        try await S3Client(configuration: moto.configuration()).createBucket()
        let proxy = DelayedProxy()
        defer { proxy.stop() }
        var configuration = moto.configuration()
        configuration.endpoint = "http://127.0.0.1:\(proxy.port)"
        configuration.connectTimeout = 2
        let uploader = LogUploader(client: S3Client(configuration: configuration),
                                   policy: LogUploader.Policy(initialBackoff: 0.2, maxBackoff: 0.5, deadline: 120))
        let bytes = Array("line 1\nline 2\n".utf8)
        let file = try Self.temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: file) }
        uploader.submit(file: file, key: "svc/2026-12-08/t1/stdout.1")
        // Nothing listens yet: the upload fails and waits; the file stays.
        try await Task.sleep(for: .seconds(1.5))
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(await uploader.pendingFiles == [file])
        let target = moto.port
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async { continuation.resume(with: Result { try proxy.start(forwardingTo: target) }) }
        }
        let idle = Task { await uploader.waitUntilIdle() }
        let watchdog = Task { try await Task.sleep(for: .seconds(90)); idle.cancel() }
        await idle.value
        watchdog.cancel()
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try await S3Client(configuration: moto.configuration()).get(key: "svc/2026-12-08/t1/stdout.1") == bytes)

        // A file that is kept (the final stdout) is uploaded but not deleted, and a second upload replaces it.
        let kept = try Self.temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: kept) }
        let outcome = await uploader.upload(file: kept, key: "svc/2026-12-08/t1/stdout", deleteAfterUpload: false)
        guard case .uploaded(let uploaded, attempts: 1) = outcome else { Issue.record("\(outcome)"); return }
        #expect(uploaded.size == Int64(bytes.count))
        #expect(FileManager.default.fileExists(atPath: kept))
    }

    @Test func wrongCredentialsFailClearlyAndKeepTheFile() async throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        try await S3Client(configuration: moto.configuration()).createBucket()
        let wrongSecret = S3Credentials(accessKeyID: moto.credentials.accessKeyID, secretAccessKey: "not-the-secret")
        let client = S3Client(configuration: moto.configuration(credentials: wrongSecret))
        do {
            try await client.put(key: "x", bytes: [1])
            Issue.record("a wrong secret was accepted")
        } catch {
            #expect(error.description.contains("403 SignatureDoesNotMatch"), "\(error)")
            #expect(error.description.contains("check the AWS credentials"))
            #expect(!error.description.contains("not-the-secret"))
            #expect(!error.isRetryable)
        }
        let unknown = S3Client(configuration: moto.configuration(credentials: S3Credentials(accessKeyID: "AKIANOTAKEY", secretAccessKey: "x")))
        await #expect(throws: S3Error.refused(status: 403, code: "InvalidAccessKeyId",
                                              message: "The AWS Access Key Id you provided does not exist in our records.",
                                              operation: "LIST s3://converge-logs/")) {
            _ = try await unknown.list(prefix: "")
        }
        let file = try Self.temporaryFile([1, 2, 3])
        defer { try? FileManager.default.removeItem(atPath: file) }
        let outcome = await LogUploader(client: client, policy: LogUploader.Policy(initialBackoff: 0.1, deadline: 30))
            .upload(file: file, key: "svc/d/t/stdout.1")
        guard case .failed(_, let error, attempts: 1) = outcome else { Issue.record("\(outcome)"); return }
        #expect(error.description.contains("SignatureDoesNotMatch"))
        #expect(FileManager.default.fileExists(atPath: file))
        // Nothing reached the bucket.
        #expect(try await S3Client(configuration: moto.configuration()).list(prefix: "svc/").isEmpty)
    }
}
