import Crypto
import HTTPTypes
import Hummingbird
import NIOCore

extension APIReply {
    /// A JSON answer with a strong ETag over its bytes; 304 without a body when the client has it
    /// (the dashboard polls every 2 s: an unchanged 10,000-service list costs no transfer or parse).
    static func json(_ value: APIJSON, ifNoneMatch: String?) -> Response {
        let bytes = value.bytes()
        let tag = etag(bytes)
        if ifNoneMatch == tag {
            return Response(status: .notModified, headers: [.eTag: tag, .cacheControl: "no-cache"])
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache", .eTag: tag],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func etag(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var tag: [UInt8] = [UInt8(ascii: "\"")]
        for byte in SHA256.hash(data: bytes).prefix(12) {
            tag.append(digits[Int(byte >> 4)])
            tag.append(digits[Int(byte & 15)])
        }
        tag.append(UInt8(ascii: "\""))
        return String(decoding: tag, as: UTF8.self)
    }
}
