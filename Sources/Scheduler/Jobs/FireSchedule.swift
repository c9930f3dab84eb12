import Foundation

/// When a scheduled job fires: the first fire time strictly after a date (a cron expression in a time zone).
public protocol FireSchedule: Sendable {
    func nextFire(after date: Date) -> Date?
}

/// A fixed interval from an anchor; for tests and for simple schedules.
public struct IntervalSchedule: FireSchedule {
    public var anchor: Date
    public var intervalSeconds: Double

    public init(anchor: Date, intervalSeconds: Double) {
        self.anchor = anchor
        self.intervalSeconds = intervalSeconds
    }

    public func nextFire(after date: Date) -> Date? {
        guard intervalSeconds > 0 else { return nil }
        let elapsed = date.timeIntervalSince(anchor)
        let steps = elapsed < 0 ? 0 : (elapsed / intervalSeconds).rounded(.down) + 1
        return anchor.addingTimeInterval(steps * intervalSeconds)
    }
}
