import Foundation
import Logging
import Manifests
import Mesos

/// The scheduler core: a Mesos framework that makes the cluster run the desired set.
///
/// INTERFACE ONLY (being implemented by the driver work of issue 4).
public actor SchedulerCore {
    public let configuration: SchedulerCoreConfiguration
    public let store: StateStore

    public init(configuration: SchedulerCoreConfiguration, store: StateStore) {
        self.configuration = configuration
        self.store = store
    }

    /// Subscribes (with the stored framework id) and runs the event loop in the background; returns at once.
    public func start() {
        fatalError("not built yet")
    }

    /// Closes the subscription; tasks keep running (a new core with the same store takes them over).
    public func shutdown() async {
        fatalError("not built yet")
    }

    /// Replaces the desired set (idempotent; the same set twice changes nothing).
    public func apply(_ desired: DesiredState) {
        fatalError("not built yet")
    }

    public func snapshot() -> CoreSnapshot {
        fatalError("not built yet")
    }

    /// A stream of changes; ends when the core shuts down.
    public func changes() -> AsyncStream<CoreChange> {
        fatalError("not built yet")
    }

    /// Adds or replaces an override (one per service and kind); throws for an unknown service or a value
    /// that does not fit its kind. `bounce` starts a rolling restart of the current deploy.
    public func setOverride(_ override: Override) throws {
        fatalError("not built yet")
    }

    public func removeOverride(service: String, kind: Override.Kind) throws {
        fatalError("not built yet")
    }

    /// Starts a run of an OnDemand job with extra arguments and environment; returns the run's task id.
    /// Throws for an unknown service, a service that is not OnDemand, or when `instances` runs are going.
    public func trigger(service: String, arguments: [String] = [], environment: [String: String] = [:]) throws -> String {
        fatalError("not built yet")
    }
}
