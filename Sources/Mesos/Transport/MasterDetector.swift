/// Where the leading master is: a fixed list of URLs (redirects name the leader), or a detector that
/// watches the masters' election (ZooKeeper), without the Mesos module knowing how.
public protocol MasterDetector: AnyObject, Sendable {
    /// The leading master as last detected; nil while none is known.
    var leader: MasterEndpoint? { get }
    /// Calls `handler` (on any thread) with each new leader until the detector stops.
    func onLeaderChange(_ handler: @escaping @Sendable (MasterEndpoint?) -> Void)
}

/// A detector for one fixed master URL: it never changes.
public final class FixedMasterDetector: MasterDetector {
    public let leader: MasterEndpoint?

    public init(_ endpoint: MasterEndpoint) { leader = endpoint }

    public func onLeaderChange(_ handler: @escaping @Sendable (MasterEndpoint?) -> Void) {}
}
