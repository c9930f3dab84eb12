/// `metadata`: identity and ownership of a document.
public struct Metadata: Sendable, Hashable {
    /// A DNS label, unique in the repository.
    public var name: String
    public var owners: [String]
    public var labels: [String: String]

    public init(name: String, owners: [String] = [], labels: [String: String] = [:]) {
        self.name = name
        self.owners = owners
        self.labels = labels
    }
}
