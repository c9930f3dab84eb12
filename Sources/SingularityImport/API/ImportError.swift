/// Why an import failed. Nothing is written when one is thrown.
public enum ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    case badURL(String)
    case unreachable(url: String, message: String)
    case unauthorized(url: String, status: Int, message: String)
    case httpStatus(url: String, status: Int, message: String)
    case malformed(url: String, message: String)
    case missingDeploys([String])
    case output(String)
    case invalidOutput([String])

    public var description: String {
        switch self {
        case .badURL(let url):
            return "--url must be an http:// or https:// URL of Singularity (e.g. http://singularity:7099/singularity), got \(url)"
        case .unreachable(let url, let message):
            return "cannot reach Singularity at \(url): \(message)"
        case .unauthorized(let url, let status, let message):
            return "Singularity refused the request to \(url) (\(status)): \(message). Pass --token-file with a valid token (sent as `Authorization: Token <token>`; --auth-scheme changes the word)"
        case .httpStatus(let url, let status, let message):
            return "Singularity answered \(status) to GET \(url): \(message)"
        case .malformed(let url, let message):
            return "Singularity's answer to GET \(url) is not what its API returns: \(message)"
        case .missingDeploys(let ids):
            let shown = ids.prefix(20).joined(separator: ", ")
            let more = ids.count > 20 ? " and \(ids.count - 20) more" : ""
            return "\(ids.count) request(s) have no active deploy to import: \(shown)\(more). Deploy them in Singularity first, or pass --skip-undeployed to import the others and list these in the report"
        case .output(let message):
            return message
        case .invalidOutput(let errors):
            return "the imported manifests do not validate (a bug in the importer; nothing was written):\n" + errors.joined(separator: "\n")
        }
    }
}
