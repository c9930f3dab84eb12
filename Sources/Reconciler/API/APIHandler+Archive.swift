import Foundation
import Hummingbird
import LogArchive

extension APIHandler {
    /// `GET /api/v1/services/{name}/archive?task=` (the archived pieces) and `.../archive/read?key=` (one
    /// piece's bytes as stored, gzip included).
    func archive(_ parts: [String], request: Request) async -> Response {
        let name = parts[1]
        guard let archive = logs.archive else {
            return APIReply.error(.serviceUnavailable, "this controller has no log archive (converge run --log-archive s3://BUCKET/PREFIX)")
        }
        let query = request.uri.queryParameters
        if parts.count == 3 {
            let taskID = query["task"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            do {
                let pieces = try await archive.pieces(service: name, taskID: taskID)
                return APIReply.json(.object([
                    ("service", .string(name)), ("archive", .string(archive.location.description)),
                    ("pieces", .array(pieces.map { piece, object in
                        .object([("key", .string(piece.key)), ("task", .string(piece.taskID)), ("day", .string(piece.day)),
                                 ("file", .string(piece.file)), ("size", .int(Int(object.size))),
                                 ("lastModified", .string(object.lastModified))])
                    })),
                ]))
            } catch {
                return APIReply.error(.badGateway, error.description)
            }
        }
        guard let key = query["key"].map(String.init), !key.isEmpty else {
            return APIReply.error(.badRequest, "expecting ?key= (a key from GET /api/v1/services/\(name)/archive)")
        }
        guard let piece = archive.location.parse(key: key), piece.service == name, !key.split(separator: "/").contains("..") else {
            return APIReply.error(.badRequest, "key \(key) is not an archived piece of service \(name)")
        }
        do {
            let bytes = try await archive.client.get(key: key)
            return Response(status: .ok, headers: [.contentType: "application/octet-stream", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        } catch where error.isNotFound {
            return APIReply.error(.notFound, "no archived piece \(key)")
        } catch {
            return APIReply.error(.badGateway, error.description)
        }
    }
}
