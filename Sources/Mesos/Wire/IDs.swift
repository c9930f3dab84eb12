/// An identifier on the wire: `{"value": "..."}`.
public protocol WireID: Codable, Hashable, Sendable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    var value: String { get }
    init(_ value: String)
}

extension WireID {
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { value }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// A framework's id, assigned by the master on first SUBSCRIBE.
public struct FrameworkID: WireID {
    public var value: String
    public init(_ value: String) { self.value = value }
}

/// An agent's id, assigned by the master when the agent registers.
public struct AgentID: WireID {
    public var value: String
    public init(_ value: String) { self.value = value }
}

/// A task's id, chosen by the framework.
public struct TaskID: WireID {
    public var value: String
    public init(_ value: String) { self.value = value }
}

/// An offer's (or inverse offer's) id.
public struct OfferID: WireID {
    public var value: String
    public init(_ value: String) { self.value = value }
}

/// An executor's id.
public struct ExecutorID: WireID {
    public var value: String
    public init(_ value: String) { self.value = value }
}

/// An operation's id (offer operation feedback).
public struct OperationID: WireID {
    public var value: String
    public init(_ value: String) { self.value = value }
}

/// A resource provider's id.
public struct ResourceProviderID: WireID {
    public var value: String
    public init(_ value: String) { self.value = value }
}

/// A container id; nested containers carry their parent.
public final class ContainerID: Codable, Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public let parent: ContainerID?
    public init(_ value: String, parent: ContainerID? = nil) {
        self.value = value
        self.parent = parent
    }
    public var description: String { parent.map { "\($0).\(value)" } ?? value }
    public static func == (lhs: ContainerID, rhs: ContainerID) -> Bool {
        lhs.value == rhs.value && lhs.parent == rhs.parent
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
        hasher.combine(parent)
    }
}
