/// The events waiting for one receiver: bounded, one lane per service (order kept within a lane), the
/// oldest event dropped when full. A lane being delivered is busy: its next event waits, so a receiver
/// sees each service's events in order even with several deliveries in flight.
///
/// `arrivals` lists every waiting event's (sequence, lane) in arrival order, with entries of events
/// already taken left behind (stale) until they reach the front: the oldest waiting event, and the
/// oldest one of a free lane, are found from the front without scanning the lanes.
struct NotificationQueue: Sendable {
    struct Item: Sendable {
        var event: NotificationEvent
        var body: [UInt8]
        var lane: String
        /// Order of arrival.
        var sequence: Int
    }

    let capacity: Int
    private(set) var lanes: [String: [Item]] = [:]
    private(set) var count = 0
    private(set) var dropped = 0
    private var busy: Set<String> = []
    private var sequence = 0
    private var arrivals: [(sequence: Int, lane: String)] = []
    private var front = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Appends an event; when full, drops the oldest waiting event (of any lane) and returns true.
    @discardableResult
    mutating func push(_ event: NotificationEvent, body: [UInt8]) -> Bool {
        var droppedOne = false
        if count >= capacity, let oldest = firstWaiting(where: { _ in true }) {
            take(arrivalAt: oldest)
            dropped += 1
            droppedOne = true
        }
        let lane = event.service ?? ""
        lanes[lane, default: []].append(Item(event: event, body: body, lane: lane, sequence: sequence))
        arrivals.append((sequence, lane))
        sequence += 1
        count += 1
        return droppedOne
    }

    /// The oldest event of a lane that is not busy; its lane turns busy until `finish(lane:)`.
    mutating func next() -> Item? {
        let busy = self.busy
        guard let index = firstWaiting(where: { !busy.contains($0) }) else { return nil }
        let item = take(arrivalAt: index)
        self.busy.insert(item.lane)
        return item
    }

    /// An event waits in a lane that is not busy.
    var hasReady: Bool {
        firstWaitingIndex(where: { !busy.contains($0) }) != nil
    }

    mutating func finish(lane: String) {
        busy.remove(lane)
    }

    /// Index in `arrivals` of the oldest waiting event whose lane passes `filter`; drops stale entries at the front.
    private mutating func firstWaiting(where filter: (String) -> Bool) -> Int? {
        while front < arrivals.count, !isWaiting(arrivals[front]) { front += 1 }
        if front > 1_024, front * 2 > arrivals.count {
            arrivals.removeFirst(front)
            front = 0
        }
        return firstWaitingIndex(where: filter)
    }

    private func firstWaitingIndex(where filter: (String) -> Bool) -> Int? {
        var index = front
        while index < arrivals.count {
            let entry = arrivals[index]
            if isWaiting(entry), filter(entry.lane) { return index }
            index += 1
        }
        return nil
    }

    /// A lane's events leave from its head, in arrival order: an entry waits while it is at or behind its lane's head.
    private func isWaiting(_ entry: (sequence: Int, lane: String)) -> Bool {
        guard let head = lanes[entry.lane]?.first?.sequence else { return false }
        return entry.sequence >= head
    }

    /// Removes the event of `arrivals[index]`, the head of its lane (the oldest waiting event of a lane comes first).
    @discardableResult
    private mutating func take(arrivalAt index: Int) -> Item {
        let lane = arrivals[index].lane
        let item = lanes[lane]!.removeFirst()
        if lanes[lane]!.isEmpty { lanes[lane] = nil }
        count -= 1
        return item
    }
}
