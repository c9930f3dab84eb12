import Foundation
import Hummingbird

/// The agent's /files/read and /files/browse over task sandboxes (paths inside the work directory).
struct FilesEndpoint: Sendable {
    let root: String
    /// On an agent's own listener: virtual paths `/frameworks/FW/executors/EX/runs/...` resolve into its sandboxes.
    var agentID: String? = nil

    func read(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        guard let rawPath = query["path"].map(String.init), !rawPath.isEmpty else {
            return Reply.text(.badRequest, "Expecting 'path=value' in query")
        }
        guard let path = resolve(rawPath) else { return Reply.text(.notFound, "File not found") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return Reply.text(.notFound, "File not found")
        }
        if isDirectory.boolValue { return Reply.text(.badRequest, "Cannot read a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else { return Reply.text(.forbidden, "Cannot open file") }
        defer { try? handle.close() }
        let size = Int64((try? handle.seekToEnd()) ?? 0)
        var offset: Int64 = 0
        if let text = query["offset"] {
            guard let value = Int64(text) else { return Reply.text(.badRequest, "Failed to parse offset: '\(text)'") }
            offset = value
        }
        if offset == -1 {
            return Reply.json(JSONValue.object(["data": "", "offset": .number(Double(size))]))
        }
        guard offset >= 0 else { return Reply.text(.badRequest, "Negative offset provided: \(offset)") }
        var length = Int64(16 * 1024 * 1024)
        if let text = query["length"] {
            guard let value = Int64(text), value >= -1 else { return Reply.text(.badRequest, "Failed to parse length: '\(text)'") }
            if value >= 0 { length = min(value, length) }
        }
        guard offset < size else { return Reply.json(JSONValue.object(["data": "", "offset": .number(Double(offset))])) }
        try? handle.seek(toOffset: UInt64(offset))
        let data = handle.readData(ofLength: Int(min(length, size - offset)))
        return Reply.json(JSONValue.object(["data": .string(String(decoding: data, as: UTF8.self)), "offset": .number(Double(offset))]))
    }

    /// The raw bytes of a file, as the agent's /files/download serves them.
    func download(_ request: Request) -> Response {
        guard let rawPath = request.uri.queryParameters["path"].map(String.init), !rawPath.isEmpty else {
            return Reply.text(.badRequest, "Expecting 'path=value' in query")
        }
        var isDirectory: ObjCBool = false
        guard let path = resolve(rawPath), FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return Reply.text(.notFound, "File not found")
        }
        if isDirectory.boolValue { return Reply.text(.badRequest, "Cannot download a directory") }
        guard let data = FileManager.default.contents(atPath: path) else { return Reply.text(.forbidden, "Cannot open file") }
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentDisposition] = "attachment; filename=\((path as NSString).lastPathComponent)"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    func browse(_ request: Request) -> Response {
        guard let rawPath = request.uri.queryParameters["path"].map(String.init) else {
            return Reply.text(.badRequest, "Expecting 'path=value' in query")
        }
        guard let path = resolve(rawPath),
              let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            return Reply.text(.notFound, "File not found")
        }
        let entries: [JSONValue] = names.sorted().map { name in
            let full = (path as NSString).appendingPathComponent(name)
            let attributes = (try? FileManager.default.attributesOfItem(atPath: full)) ?? [:]
            let isDirectory = (attributes[.type] as? FileAttributeType) == .typeDirectory
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return .object(["path": .string(full), "size": .number(Double((attributes[.size] as? NSNumber)?.int64Value ?? 0)),
                            "mode": .string(isDirectory ? "drwxr-xr-x" : "-rw-r--r--"), "nlink": 1,
                            "mtime": .number(modified), "uid": "", "gid": ""])
        }
        return Reply.json(JSONValue.array(entries))
    }

    /// The canonical path, if it lies inside the root.
    private func resolve(_ raw: String) -> String? {
        var decoded = raw.removingPercentEncoding ?? raw
        if let agentID, decoded.hasPrefix("/frameworks/") { decoded = "\(root)/slaves/\(agentID)\(decoded)" }
        let path = (decoded as NSString).standardizingPath
        let resolved = (path as NSString).resolvingSymlinksInPath
        let base = (root as NSString).resolvingSymlinksInPath
        guard resolved == base || resolved.hasPrefix(base + "/") else { return nil }
        return resolved
    }
}
