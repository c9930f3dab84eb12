import Foundation
import Hummingbird

/// The agent's v1 operator calls on files (`POST /api/v1` `LIST_FILES`, `READ_FILE`): numeric modes,
/// nanosecond mtimes, base64 data with the file's size, and a required offset.
enum AgentFilesCalls {
    /// The call's type when it is one of these, read from an already collected body.
    static func fileCallType(_ body: ByteBuffer) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
              let type = object["type"] as? String, type == "LIST_FILES" || type == "READ_FILE" else { return nil }
        return type
    }

    static func respond(_ body: ByteBuffer, attachments: FileAttachments) -> Response {
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            return FilesReply.text(.badRequest, "Failed to parse body into JSON: invalid JSON")
        }
        if object["type"] as? String == "LIST_FILES" {
            guard let path = (object["list_files"] as? [String: Any])?["path"] as? String else {
                return FilesReply.text(.badRequest, "Failed to convert JSON into Call protobuf: Missing required fields: list_files.path")
            }
            switch attachments.resolve(path) {
            case .notFound: return FilesReply.empty(.notFound)
            case .inaccessible(let message): return FilesReply.text(.badRequest, message + ".\n")
            case .found(let real):
                let infos = SandboxFile.list(real, shownAs: path).map { info in
                    FileJSON.object([("path", .string(info.path)), ("nlink", .integer(info.nlink)), ("size", .integer(info.size)),
                                     ("mtime", .object([("nanoseconds", .integer(info.mtimeNanos))])),
                                     ("mode", .integer(Int64(info.mode))), ("uid", .string(info.uid)), ("gid", .string(info.gid))])
                }
                return FilesReply.json(.object([("type", .string("LIST_FILES")),
                                                ("list_files", .object([("file_infos", .array(infos))]))]))
            }
        }
        let call = object["read_file"] as? [String: Any] ?? [:]
        guard let path = call["path"] as? String else {
            return FilesReply.text(.badRequest, "Failed to convert JSON into Call protobuf: Missing required fields: read_file.path")
        }
        guard let offset = integer(call["offset"]) else {
            return FilesReply.text(.badRequest, "Failed to convert JSON into Call protobuf: Missing required fields: read_file.offset")
        }
        switch attachments.resolve(path) {
        case .notFound: return FilesReply.empty(.notFound)
        case .inaccessible(let message): return FilesReply.text(.badRequest, message + ".\n")
        case .found(let real):
            switch SandboxFile.read(real, offset: max(0, offset), length: integer(call["length"])) {
            case .failure(let error): return error.response(verb: "read")
            case .success(let chunk):
                return FilesReply.json(.object([("type", .string("READ_FILE")), ("read_file", .object([
                    ("size", .integer(chunk.size)), ("data", .string(Data(chunk.data).base64EncodedString()))]))]))
            }
        }
    }

    /// A uint64 field as JSON carries it: a number or a decimal string.
    private static func integer(_ value: Any?) -> Int64? {
        if let number = value as? Int { return Int64(number) }
        if let number = value as? Double, number.rounded() == number { return Int64(number) }
        if let text = value as? String { return Int64(text) }
        return nil
    }
}
