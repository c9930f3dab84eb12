/// One problem in a manifest repository, pointing at the file, line, column and field path.
///
/// `description` is `file:line:column: path: message`, e.g.
/// `services/web.yaml:12:5: spec.resources.cpus: expected a number, got "lots"`.
/// `path` is empty for problems that concern a whole file (e.g. "not a text file").
public struct ManifestError: Error, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var path: String
    public var message: String

    public init(file: String, line: Int, column: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    init(at location: SourceLocation, path: String, _ message: String) {
        self.init(file: location.file, line: location.line, column: location.column, path: path, message: message)
    }

    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    public var description: String {
        path.isEmpty ? "\(file):\(line):\(column): \(message)" : "\(file):\(line):\(column): \(path): \(message)"
    }

    public static func < (a: ManifestError, b: ManifestError) -> Bool {
        (a.file, a.line, a.column, a.path, a.message) < (b.file, b.line, b.column, b.path, b.message)
    }
}
