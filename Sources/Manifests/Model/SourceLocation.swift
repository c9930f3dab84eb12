import Synchronization

/// Where a value was written: a repository-relative file path and a 1-based line and column.
///
/// Three integers: the file path is interned (see `FilePaths`), so copying a located value, which
/// decoding and Defaults merging do for every field of every manifest, touches no reference count.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    private var fileID: UInt32
    private var line32: Int32
    private var column32: Int32

    public init(file: String, line: Int, column: Int) {
        self.init(fileID: FilePaths.id(file), line: Int32(clamping: line), column: Int32(clamping: column))
    }

    init(fileID: UInt32, line: Int32, column: Int32) {
        self.fileID = fileID
        self.line32 = line
        self.column32 = column
    }

    public var file: String {
        get { FilePaths.path(fileID) }
        set { fileID = FilePaths.id(newValue) }
    }

    public var line: Int {
        get { Int(line32) }
        set { line32 = Int32(clamping: newValue) }
    }

    public var column: Int {
        get { Int(column32) }
        set { column32 = Int32(clamping: newValue) }
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        if a.fileID == b.fileID { return (a.line32, a.column32) < (b.line32, b.column32) }
        return a.file < b.file
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// The file paths that source locations name, each stored once for the life of the process and
/// numbered in order of first use. A path is a repository file (or a folder prefix plus one), so
/// the table grows with the files a process has read, not with how often it reads them.
enum FilePaths {
    private struct Table {
        var paths: [String] = []
        var ids: [String: UInt32] = [:]
    }

    private static let table = Mutex(Table())

    static func id(_ path: String) -> UInt32 {
        table.withLock { table in
            if let id = table.ids[path] { return id }
            let id = UInt32(table.paths.count)
            table.paths.append(path)
            table.ids[path] = id
            return id
        }
    }

    static func path(_ id: UInt32) -> String {
        table.withLock { $0.paths[Int(id)] }
    }
}

/// A decoded value together with the place it was written.
struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    var value: Value
    var location: SourceLocation
}
