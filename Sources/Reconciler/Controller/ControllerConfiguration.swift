import Foundation

/// How the controller reads its source and how careful it is with deletes.
public struct ControllerConfiguration: Sendable {
    public var source: ManifestSource
    /// Between two polls of the source (the webhook and the API sync at once in between).
    public var pollIntervalSeconds: Double
    /// Stop services that are gone from the repository; off: they keep running as they are.
    public var prune: Bool
    /// A plan deleting more than this share of the running services (or all of them) is refused.
    public var maxDeleteShare: Double
    public var allowMassDelete: Bool
    /// Sync records kept (in memory and in the state directory).
    public var historyLimit: Int
    /// Where the last good revision and the sync history survive a restart; nil: memory only.
    public var stateDirectory: URL?
    /// On start, how long the first sync waits for the core to reconcile with the master before planning.
    public var reconcileWaitSeconds: Double = 30

    public init(source: ManifestSource, pollIntervalSeconds: Double = 30, prune: Bool = true, maxDeleteShare: Double = 0.2,
                allowMassDelete: Bool = false, historyLimit: Int = 200, stateDirectory: URL? = nil) {
        self.source = source
        self.pollIntervalSeconds = pollIntervalSeconds
        self.prune = prune
        self.maxDeleteShare = maxDeleteShare
        self.allowMassDelete = allowMassDelete
        self.historyLimit = historyLimit
        self.stateDirectory = stateDirectory
    }
}
