import Hummingbird

extension APIHandler {
    /// The log routes (task files and the archive); nil for other paths.
    func logRoutes(_ parts: [String], method: HTTPRequest.Method, request: Request) async -> Response? {
        guard parts.count >= 3, parts[0] == "services" else { return nil }
        let isFiles = parts[2] == "tasks" && parts.count >= 5 && parts[4] == "files"
            && (parts.count == 5 || (parts.count == 6 && parts[5] == "read"))
        let isArchive = parts[2] == "archive" && (parts.count == 3 || (parts.count == 4 && parts[3] == "read"))
        guard isFiles || isArchive else { return nil }
        guard method == .get || method == .head else {
            return APIReply.error(.methodNotAllowed, "use GET", headers: [.allow: "GET"])
        }
        return isFiles ? await taskFiles(parts, request: request) : await archive(parts, request: request)
    }
}
