import Foundation

extension S3Client {
    /// An uploaded object as S3 confirmed it.
    public struct Uploaded: Sendable, Hashable {
        public var key: String
        public var size: Int64
        public var etag: String
    }

    /// Uploads a local file: one PUT up to `multipartThreshold`, else a multipart upload in `partSize` parts
    /// (aborted on failure, so no parts are left behind). Then HEADs the object and checks its size and ETag.
    public func upload(file path: String, key: String) async throws(S3Error) -> Uploaded {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .localFile("cannot read \(path)") }
        defer { try? handle.close() }
        let size: Int64
        do { size = Int64(try handle.seekToEnd()) } catch { throw .localFile("cannot read \(path): \(error)") }
        let etag: String
        if size <= configuration.multipartThreshold {
            etag = try await put(key: key, bytes: try Self.read(handle, path: path, offset: 0, count: size))
        } else {
            etag = try await multipart(handle, path: path, size: size, key: key)
        }
        let operation = "UPLOAD \(configuration.display(key))"
        guard let head = try await head(key: key) else { throw .notConfirmed("the object is missing after upload", operation: operation) }
        guard head.size == size else { throw .notConfirmed("size \(head.size), expected \(size)", operation: operation) }
        guard head.etag == etag else { throw .notConfirmed("ETag \(head.etag), expected \(etag)", operation: operation) }
        return Uploaded(key: key, size: size, etag: etag)
    }

    private func multipart(_ handle: FileHandle, path: String, size: Int64, key: String) async throws(S3Error) -> String {
        let url = configuration.url(key: key)
        let display = configuration.display(key)
        let created = try await send(S3Request(method: "POST", url: url + "?" + S3Encoding.query([("uploads", "")]),
                                               operation: "CREATE MULTIPART \(display)"))
        guard let uploadID = S3XML.first("UploadId", in: String(decoding: created.body, as: UTF8.self)[...]) else {
            throw .malformed("no UploadId", operation: "CREATE MULTIPART \(display)")
        }
        do throws(S3Error) {
            var parts: [(Int, String)] = []
            var offset: Int64 = 0
            while offset < size {
                let number = parts.count + 1
                let count = min(configuration.partSize, size - offset)
                let bytes = try Self.read(handle, path: path, offset: offset, count: count)
                let query = S3Encoding.query([("partNumber", String(number)), ("uploadId", uploadID)])
                let response = try await send(S3Request(method: "PUT", url: url + "?" + query, body: bytes,
                                                        operation: "UPLOAD PART \(number) \(display)"))
                guard let etag = response.headers["etag"] else { throw S3Error.malformed("no ETag", operation: "UPLOAD PART \(number) \(display)") }
                parts.append((number, etag))
                offset += count
            }
            let body = "<CompleteMultipartUpload>" + parts.map {
                "<Part><PartNumber>\($0.0)</PartNumber><ETag>\(S3XML.escape($0.1))</ETag></Part>"
            }.joined() + "</CompleteMultipartUpload>"
            let operation = "COMPLETE MULTIPART \(display)"
            let completed = try await send(S3Request(method: "POST", url: url + "?" + S3Encoding.query([("uploadId", uploadID)]),
                                                     headers: [("Content-Type", "application/xml")], body: Array(body.utf8), operation: operation))
            let xml = String(decoding: completed.body, as: UTF8.self)[...]
            // S3 may answer 200 with an error document when completion fails late.
            if xml.contains("<Error>") { throw Self.refusal(S3Response(status: 500, headers: [:], body: completed.body), operation: operation) }
            guard let etag = S3XML.first("ETag", in: xml) else { throw S3Error.malformed("no ETag", operation: operation) }
            return etag
        } catch {
            _ = try? await send(S3Request(method: "DELETE", url: url + "?" + S3Encoding.query([("uploadId", uploadID)]),
                                          operation: "ABORT MULTIPART \(display)"))
            throw error
        }
    }

    private static func read(_ handle: FileHandle, path: String, offset: Int64, count: Int64) throws(S3Error) -> [UInt8] {
        let data: Data
        do {
            try handle.seek(toOffset: UInt64(offset))
            data = try handle.read(upToCount: Int(count)) ?? Data()
        } catch {
            throw .localFile("cannot read \(path): \(error)")
        }
        guard data.count == count else { throw .localFile("\(path) changed while it was uploaded") }
        return [UInt8](data)
    }
}
