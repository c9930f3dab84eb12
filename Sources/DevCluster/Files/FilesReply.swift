import Foundation
import Hummingbird

/// The agent's files responses: libprocess bodies (plain error texts, empty 404s) and JSON or JSONP.
enum FilesReply {
    static func json(_ value: FileJSON, jsonp: String? = nil) -> Response {
        var headers = HTTPFields()
        var body = value.bytes
        if let jsonp, !jsonp.isEmpty {
            headers[.contentType] = "text/javascript"
            body = Array(jsonp.utf8) + [UInt8(ascii: "(")] + body + [UInt8(ascii: ")")]
        } else {
            headers[.contentType] = "application/json"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
    }

    static func empty(_ status: HTTPResponse.Status) -> Response {
        Response(status: status)
    }

    /// libprocess picks the download's type from the extension.
    static func mimeType(_ name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "txt": return "text/plain"
        case "json": return "application/json"
        case "html": return "text/html"
        case "gz": return "application/x-gzip"
        case "tar": return "application/x-tar"
        default: return "application/octet-stream"
        }
    }
}
