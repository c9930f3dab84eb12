import Foundation

/// A small S3 client on libcurl: objects (PUT, HEAD, GET with Range, multipart for large files), listing
/// (ListObjectsV2 with continuation tokens). Each request is one blocking libcurl transfer on a dispatch
/// queue, never on the Swift concurrency pool.
///
/// Thread safety: holds only its immutable configuration; safe from any task.
public final class S3Client: Sendable {
    public let configuration: S3Configuration
    private static let queue = DispatchQueue(label: "converge.s3", attributes: .concurrent)

    public init(configuration: S3Configuration) {
        self.configuration = configuration
    }

    /// An object's size and ETag (quotes kept), nil when it does not exist.
    public struct ObjectHead: Sendable, Hashable {
        public var size: Int64
        public var etag: String
        public var lastModified: String?
    }

    /// One ListObjectsV2 entry.
    public struct ObjectSummary: Sendable, Hashable {
        public var key: String
        public var size: Int64
        public var etag: String
        /// ISO 8601, as S3 writes it.
        public var lastModified: String
    }

    func send(_ request: S3Request) async throws(S3Error) -> S3Response {
        let configuration = configuration
        let result: Result<S3Response, S3Error> = await withCheckedContinuation { continuation in
            Self.queue.async {
                continuation.resume(returning: Result { () throws(S3Error) in try S3Transfer.perform(request, configuration: configuration) })
            }
        }
        let response = try result.get()
        guard (200..<300).contains(response.status) else { throw Self.refusal(response, operation: request.operation) }
        return response
    }

    static func refusal(_ response: S3Response, operation: String) -> S3Error {
        let xml = String(decoding: response.body, as: UTF8.self)[...]
        let code = S3XML.first("Code", in: xml) ?? "HTTP \(response.status)"
        let message = S3XML.first("Message", in: xml) ?? (xml.isEmpty ? "(no message)" : String(xml.prefix(300)))
        return .refused(status: response.status, code: code, message: message, operation: operation)
    }

    /// `PUT` the bytes as one object; returns its ETag.
    @discardableResult
    public func put(key: String, bytes: [UInt8], contentType: String = "application/octet-stream") async throws(S3Error) -> String {
        let response = try await send(S3Request(method: "PUT", url: configuration.url(key: key), headers: [("Content-Type", contentType)],
                                                body: bytes, operation: "PUT \(configuration.display(key))"))
        guard let etag = response.headers["etag"] else { throw .malformed("no ETag", operation: "PUT \(configuration.display(key))") }
        return etag
    }

    /// `HEAD`: the object's size and ETag; nil when there is no such object.
    public func head(key: String) async throws(S3Error) -> ObjectHead? {
        let operation = "HEAD \(configuration.display(key))"
        do throws(S3Error) {
            let response = try await send(S3Request(method: "HEAD", url: configuration.url(key: key), operation: operation))
            guard let size = response.headers["content-length"].flatMap({ Int64($0) }), let etag = response.headers["etag"] else {
                throw S3Error.malformed("no Content-Length or ETag", operation: operation)
            }
            return ObjectHead(size: size, etag: etag, lastModified: response.headers["last-modified"])
        } catch where error.isNotFound {
            return nil
        }
    }

    /// `GET`, all of the object or the inclusive byte `range`.
    public func get(key: String, range: ClosedRange<Int64>? = nil) async throws(S3Error) -> [UInt8] {
        var headers: [(String, String)] = []
        if let range { headers.append(("Range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        return try await send(S3Request(method: "GET", url: configuration.url(key: key), headers: headers,
                                        operation: "GET \(configuration.display(key))")).body
    }

    /// ListObjectsV2 under `prefix`, following continuation tokens; keys in S3's (lexicographic) order.
    public func list(prefix: String, pageSize: Int = 1000) async throws(S3Error) -> [ObjectSummary] {
        var objects: [ObjectSummary] = []
        var token: String?
        let operation = "LIST \(configuration.display(prefix))"
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(pageSize))]
            if let token { query.append(("continuation-token", token)) }
            let response = try await send(S3Request(method: "GET", url: configuration.url(key: "", query: S3Encoding.query(query)),
                                                    operation: operation))
            let xml = String(decoding: response.body, as: UTF8.self)[...]
            for entry in S3XML.all("Contents", in: xml) {
                guard let key = S3XML.first("Key", in: entry), let size = S3XML.first("Size", in: entry).flatMap({ Int64($0) }) else {
                    throw .malformed("a Contents entry without Key or Size", operation: operation)
                }
                objects.append(ObjectSummary(key: key, size: size, etag: S3XML.first("ETag", in: entry) ?? "",
                                             lastModified: S3XML.first("LastModified", in: entry) ?? ""))
            }
            token = S3XML.first("IsTruncated", in: xml) == "true" ? S3XML.first("NextContinuationToken", in: xml) : nil
        } while token != nil
        return objects
    }

    /// Creates the bucket (tests and first-time setup); an existing bucket of the caller is fine.
    public func createBucket() async throws(S3Error) {
        let body: [UInt8]? = configuration.region == "us-east-1" ? nil : Array("""
            <CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>\(configuration.region)</LocationConstraint></CreateBucketConfiguration>
            """.utf8)
        do {
            _ = try await send(S3Request(method: "PUT", url: configuration.url(key: ""), body: body ?? [],
                                         operation: "CREATE BUCKET \(configuration.bucket)"))
        } catch .refused(_, "BucketAlreadyOwnedByYou", _, _) {
        }
    }
}
