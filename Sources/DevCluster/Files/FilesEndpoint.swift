import Foundation
import Hummingbird

/// The agent's `/files/read`, `/files/browse`, `/files/download` and `/files/debug`, answering every case
/// as a Mesos 1.11.0 agent does (../shared/MESOS-EXECUTOR.md section 2): status codes, error texts, JSONP,
/// and `data` holding the file's raw bytes with only control characters escaped.
struct FilesEndpoint: Sendable {
    /// The agent's attached sandboxes, read at each request.
    let attachments: @Sendable () async -> FileAttachments

    /// The answer for a `/files/...` path, nil for any other path.
    func respond(to request: Request) async -> Response? {
        let query = request.uri.queryParameters
        let jsonp = query["jsonp"].map(String.init)
        switch request.uri.path {
        case "/files/debug":
            let paths = await attachments().paths
            return FilesReply.json(FileJSON.object(paths.keys.sorted().map { ($0, FileJSON.string(paths[$0]!)) }), jsonp: jsonp)
        case "/files/read", "/files/browse", "/files/download":
            break
        default:
            return nil
        }
        guard let path = query["path"].map(String.init), !path.isEmpty else {
            return FilesReply.text(.badRequest, "Expecting 'path=value' in query.\n")
        }
        let attached = await attachments()
        switch request.uri.path {
        case "/files/read": return read(path, query: Dictionary(query.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first }), attached: attached, jsonp: jsonp)
        case "/files/browse": return browse(path, attached: attached, jsonp: jsonp)
        default: return download(path, attached: attached)
        }
    }

    private func read(_ path: String, query: [String: String], attached: FileAttachments, jsonp: String?) -> Response {
        var offset: Int64 = -1
        if let text = query["offset"] {
            guard let value = Int64(text) else {
                return FilesReply.text(.badRequest, "Failed to parse offset: Failed to convert '\(text)' to number.\n")
            }
            offset = value
        }
        var length: Int64 = -1
        if let text = query["length"] {
            guard let value = Int64(text) else {
                return FilesReply.text(.badRequest, "Failed to parse length: Failed to convert '\(text)' to number.\n")
            }
            length = value
        }
        if offset < -1 { return FilesReply.text(.badRequest, "Negative offset provided: \(offset).\n") }
        if length < -1 { return FilesReply.text(.badRequest, "Negative length provided: \(length).\n") }
        switch attached.resolve(path) {
        case .notFound: return FilesReply.empty(.notFound)
        case .inaccessible(let message): return FilesReply.text(.badRequest, message + ".\n")
        case .found(let real):
            switch SandboxFile.read(real, offset: offset == -1 ? nil : offset, length: length == -1 ? nil : length) {
            case .failure(let error): return error.response(verb: "read")
            case .success(let chunk):
                return FilesReply.json(.object([("data", .bytes(chunk.data)), ("offset", .integer(offset == -1 ? chunk.size : offset))]),
                                       jsonp: jsonp)
            }
        }
    }

    private func browse(_ path: String, attached: FileAttachments, jsonp: String?) -> Response {
        switch attached.resolve(path) {
        case .notFound: return FilesReply.empty(.notFound)
        case .inaccessible(let message): return FilesReply.text(.internalServerError, message + ".\n")
        case .found(let real):
            let entries = SandboxFile.list(real, shownAs: path).map { info in
                FileJSON.object([("gid", .string(info.gid)), ("mode", .string(info.modeString)), ("mtime", .seconds(info.mtime)),
                                 ("nlink", .integer(info.nlink)), ("path", .string(info.path)), ("size", .integer(info.size)),
                                 ("uid", .string(info.uid))])
            }
            return FilesReply.json(.array(entries), jsonp: jsonp)
        }
    }

    private func download(_ path: String, attached: FileAttachments) -> Response {
        switch attached.resolve(path) {
        case .notFound: return FilesReply.empty(.notFound)
        case .inaccessible(let message): return FilesReply.text(.badRequest, message + ".\n")
        case .found(let real):
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory)
            if isDirectory.boolValue { return FilesReply.text(.badRequest, "Cannot download a directory.\n") }
            guard let data = FileManager.default.contents(atPath: real) else {
                return FilesReply.text(.internalServerError, "Failed to open file at '\(real)'.\n")
            }
            let name = (real as NSString).lastPathComponent
            var headers = HTTPFields()
            headers[.contentType] = FilesReply.mimeType(name)
            headers[.contentDisposition] = "attachment; filename=\(name)"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
