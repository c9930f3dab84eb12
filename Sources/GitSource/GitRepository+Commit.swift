import CGit2
import Foundation

extension GitRepository {
    /// The metadata of a commit.
    public func commit(_ id: CommitID) throws(GitSourceError) -> CommitInfo {
        try withHandles { repo, _ throws(GitSourceError) in
            let commit = try Self.lookupCommit(id, repo: repo)
            defer { git_commit_free(commit) }
            let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
            let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
            let body = git_commit_body(commit).map { String(cString: $0) } ?? ""
            let parents = (0..<git_commit_parentcount(commit)).compactMap { index in
                git_commit_parent_id(commit, index).map { CommitID(oid: $0.pointee) }
            }
            return CommitInfo(
                id: id,
                author: Self.person(git_commit_author(commit)),
                committer: Self.person(git_commit_committer(commit)),
                summary: summary,
                body: body.trimmingTrailingNewlines(),
                message: message,
                parents: parents
            )
        }
    }

    static func lookupCommit(_ id: CommitID, repo: OpaquePointer) throws(GitSourceError) -> OpaquePointer {
        var oid = id.oid
        var commit: OpaquePointer?
        let code = git_commit_lookup(&commit, repo, &oid)
        guard code == 0, let commit else {
            if code == GIT_ENOTFOUND.rawValue { throw .objectNotFound("commit \(id.hex)") }
            throw LibGit2.error("reading commit \(id.short)", code: code)
        }
        return commit
    }

    private static func person(_ signature: UnsafePointer<git_signature>?) -> CommitInfo.Person {
        guard let s = signature?.pointee else {
            return CommitInfo.Person(name: "", email: "", date: Date(timeIntervalSince1970: 0), utcOffsetMinutes: 0)
        }
        return CommitInfo.Person(
            name: s.name.map { String(cString: $0) } ?? "",
            email: s.email.map { String(cString: $0) } ?? "",
            date: Date(timeIntervalSince1970: TimeInterval(s.when.time)),
            utcOffsetMinutes: Int(s.when.offset)
        )
    }
}
