/// A path inside a task's sandbox as the API accepts it: relative, no `..`, no NUL. Symlinks that leave the
/// sandbox are refused by the agent itself (as Mesos does).
enum SandboxPath {
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    /// The normalized relative path (`""` for the sandbox itself).
    static func validate(_ raw: String) throws(Refused) -> String {
        if raw.hasPrefix("/") { throw Refused(description: "path \"\(raw)\" must be relative to the task's sandbox") }
        if raw.contains("\0") || raw.contains("\\") { throw Refused(description: "path \"\(raw)\" holds a forbidden character") }
        let parts = raw.split(separator: "/").filter { $0 != "." }
        if parts.contains("..") { throw Refused(description: "path \"\(raw)\" leaves the task's sandbox") }
        return parts.joined(separator: "/")
    }
}
