import Foundation
import Logging
import Mesos

/// Sends the driver's calls off the actor. Everything but acknowledgements goes out in order on one lane;
/// acknowledgements (many, independent) spread over a few lanes by task id, so they never hold up a launch
/// and a task's acknowledgements stay in order.
final class Outbox: Sendable {
    private let ordered: AsyncStream<OutboundCall>.Continuation
    private let ackLanes: [AsyncStream<OutboundCall>.Continuation]
    private let workers: [Task<Void, Never>]

    init(clientBox: ClientBox, logger: Logger, ackLaneCount: Int = 4,
         launchFailed: @escaping @Sendable (_ taskIDs: [String], _ error: String) async -> Void) {
        func lane() -> (AsyncStream<OutboundCall>, AsyncStream<OutboundCall>.Continuation) {
            AsyncStream<OutboundCall>.makeStream(bufferingPolicy: .unbounded)
        }
        func worker(_ calls: AsyncStream<OutboundCall>) -> Task<Void, Never> {
            Task {
                for await call in calls {
                    guard let client = clientBox.client else { continue }
                    do {
                        try await call.send(with: client)
                    } catch {
                        logger.warning("Mesos call failed", metadata: ["call": "\(call.name)", "error": "\(error)"])
                        if case .launch(_, let tasks, _) = call {
                            await launchFailed(tasks.map(\.taskID.value), "\(error)")
                        }
                    }
                }
            }
        }
        let (orderedCalls, ordered) = lane()
        var continuations: [AsyncStream<OutboundCall>.Continuation] = []
        var workers = [worker(orderedCalls)]
        for _ in 0..<max(1, ackLaneCount) {
            let (calls, continuation) = lane()
            continuations.append(continuation)
            workers.append(worker(calls))
        }
        self.ordered = ordered
        self.ackLanes = continuations
        self.workers = workers
    }

    func send(_ call: OutboundCall) {
        if case .acknowledge(let status) = call {
            let lane = Int(StableHash.fnv1a(status.taskID.value) % UInt64(ackLanes.count))
            ackLanes[lane].yield(call)
        } else {
            ordered.yield(call)
        }
    }

    /// Sends what is queued, then ends.
    func finish() async {
        ordered.finish()
        for lane in ackLanes { lane.finish() }
        for worker in workers { await worker.value }
    }
}
