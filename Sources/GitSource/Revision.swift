/// An immutable snapshot for the reconciler: a commit and its files under a path.
public struct Revision: Hashable, Sendable {
    public let commit: CommitInfo
    /// The folder the entries were read from, normalized ("" for the root).
    public let path: String
    public let entries: [TreeEntry]

    public init(commit: CommitInfo, path: String, entries: [TreeEntry]) {
        self.commit = commit
        self.path = path
        self.entries = entries
    }

    public var id: CommitID { commit.id }
}
