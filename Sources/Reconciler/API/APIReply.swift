import HTTPTypes
import Hummingbird
import NIOCore

/// Responses of the API: JSON documents, JSON errors, Prometheus text.
enum APIReply {
    static func json(_ value: APIJSON, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.bytes())))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, headers extra: HTTPFields = [:]) -> Response {
        var response = json(ErrorDocument(error: message).json, status: status)
        response.headers.append(contentsOf: extra)
        return response
    }

    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8", status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType, .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
