import HTTPTypes
import Hummingbird
import NIOCore

/// The web dashboard: one HTML page, a stylesheet and a script, shipped inside the binary (no build
/// step, no CDN), served by the API server at `/`. It reads the same JSON API as `converge`.
enum Dashboard {
    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
        let etag: String

        init(_ text: String, _ contentType: String) {
            bytes = Array(text.utf8)
            self.contentType = contentType
            etag = APIReply.etag(bytes)
        }
    }

    static let securityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let noSniff = HTTPField.Name("X-Content-Type-Options")!

    static let assets: [String: Asset] = [
        "/": Asset(html, "text/html; charset=utf-8"),
        "/index.html": Asset(html, "text/html; charset=utf-8"),
        "/dashboard.css": Asset(css, "text/css; charset=utf-8"),
        "/dashboard.js": Asset(script, "text/javascript; charset=utf-8"),
    ]

    /// The asset at `path`, 304 when the browser has it; nil for any other path.
    static func response(path: String, ifNoneMatch: String?) -> Response? {
        guard let asset = assets[path] else { return nil }
        let headers: HTTPFields = [.contentType: asset.contentType, .cacheControl: "no-cache", .eTag: asset.etag,
                                   securityPolicy: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
                                   noSniff: "nosniff"]
        if ifNoneMatch == asset.etag { return Response(status: .notModified, headers: headers) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
