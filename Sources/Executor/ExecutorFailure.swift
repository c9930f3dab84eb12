/// A failure with a message meant for a status update or the executor's log.
public struct ExecutorFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
