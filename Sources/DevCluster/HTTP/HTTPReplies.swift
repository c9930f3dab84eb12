import Foundation
import HTTPTypes
import Hummingbird
import Mesos

/// Small response builders in the master's style (plain-text error bodies).
enum Reply {
    static let streamIDHeader = HTTPField.Name("Mesos-Stream-Id")!

    static func text(_ status: HTTPResponse.Status, _ message: String = "") -> Response {
        var headers = HTTPFields()
        if !message.isEmpty { headers[.contentType] = "text/plain; charset=utf-8" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? EventStream.encoder.encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func redirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .temporaryRedirect, headers: headers)
    }

    static func methodNotAllowed(_ allowed: String, got method: HTTPRequest.Method) -> Response {
        var headers = HTTPFields()
        headers[.allow] = allowed
        headers[.contentType] = "text/plain; charset=utf-8"
        let message = "Expecting one of { '\(allowed)' }, but received '\(method.rawValue)'"
        return Response(status: .methodNotAllowed, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
    }

    /// True when the Accept header (absent = anything) allows application/json.
    static func acceptsJSON(_ request: Request) -> Bool {
        let values = request.headers[values: .accept]
        if values.isEmpty { return true }
        for range in values.joined(separator: ",").split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 1
            }
            if quality > 0, ["application/json", "application/*", "*/*"].contains(type) { return true }
        }
        return false
    }

    /// A JSON decoding failure, phrased like the master's protobuf parse errors.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, context):
            let path = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            return "Missing required fields: \(path)"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
             let DecodingError.dataCorrupted(context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
