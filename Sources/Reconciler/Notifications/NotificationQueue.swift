/// The events waiting for one receiver: bounded, one lane per service (order kept within a lane), the
/// oldest event dropped when full. A lane being delivered is busy: its next event waits, so a receiver
/// sees each service's events in order even with several deliveries in flight.
struct NotificationQueue: Sendable {
    struct Item: Sendable {
        var event: NotificationEvent
        var body: [UInt8]
        var lane: String
        /// Order of arrival, to serve lanes fairly (oldest head first).
        var sequence: Int
    }

    let capacity: Int
    private(set) var lanes: [String: [Item]] = [:]
    private(set) var count = 0
    private(set) var dropped = 0
    private var busy: Set<String> = []
    private var sequence = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Appends an event; when full, drops the oldest waiting event (of any lane) and returns true.
    @discardableResult
    mutating func push(_ event: NotificationEvent, body: [UInt8]) -> Bool {
        var droppedOne = false
        if count >= capacity, let oldest = lanes.filter({ !$0.value.isEmpty }).min(by: { $0.value[0].sequence < $1.value[0].sequence }) {
            lanes[oldest.key]!.removeFirst()
            if lanes[oldest.key]!.isEmpty { lanes[oldest.key] = nil }
            count -= 1
            dropped += 1
            droppedOne = true
        }
        let lane = event.service ?? ""
        lanes[lane, default: []].append(Item(event: event, body: body, lane: lane, sequence: sequence))
        sequence += 1
        count += 1
        return droppedOne
    }

    /// The oldest event of a lane that is not busy; its lane turns busy until `finish(lane:)`.
    mutating func next() -> Item? {
        guard let lane = lanes.filter({ !busy.contains($0.key) && !$0.value.isEmpty })
            .min(by: { $0.value[0].sequence < $1.value[0].sequence })?.key else { return nil }
        let item = lanes[lane]!.removeFirst()
        if lanes[lane]!.isEmpty { lanes[lane] = nil }
        count -= 1
        busy.insert(lane)
        return item
    }

    /// An event waits in a lane that is not busy.
    var hasReady: Bool {
        lanes.contains { !busy.contains($0.key) && !$0.value.isEmpty }
    }

    mutating func finish(lane: String) {
        busy.remove(lane)
    }
}
