import Dispatch

/// `items.map(transform)` spread over all cores (interleaved so uneven items balance out).
/// Below `minimumCount` items it runs serially. `package`: the planner uses it too.
package func concurrentMap<T: Sendable, R: Sendable>(
    _ items: [T], minimumCount: Int, _ transform: @escaping @Sendable (T) -> R
) -> [R] {
    if items.count < minimumCount { return items.map(transform) }
    let slots = ResultSlots<R>(count: items.count)
    let lanes = min(items.count, 64)
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
        var i = lane
        while i < items.count {
            slots.store(transform(items[i]), at: i)
            i += lanes
        }
    }
    return slots.take()
}

/// Write-once result slots for `concurrentPerform`.
///
/// `@unchecked Sendable` is safe because each index is written by exactly one iteration, and the
/// values are read only after `concurrentPerform` has returned (which orders all writes before it).
private final class ResultSlots<T>: @unchecked Sendable {
    private var storage: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    func store(_ value: T, at index: Int) { storage[index] = value }

    func take() -> [T] { storage.map { $0! } }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }
}
