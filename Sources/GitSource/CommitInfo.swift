import Foundation

/// Metadata of one commit.
public struct CommitInfo: Hashable, Sendable {
    public struct Person: Hashable, Sendable {
        public let name: String
        public let email: String
        public let date: Date
        /// Minutes east of UTC recorded with the signature.
        public let utcOffsetMinutes: Int
    }

    public let id: CommitID
    public let author: Person
    public let committer: Person
    /// The first paragraph of the message, unwrapped to one line.
    public let summary: String
    /// The message after the summary, or "" when there is none.
    public let body: String
    /// The full raw message.
    public let message: String
    public let parents: [CommitID]

    /// The author's time.
    public var date: Date { author.date }
}
