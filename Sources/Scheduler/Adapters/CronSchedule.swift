import Foundation
import Manifests

/// A manifest's cron `schedule` in its `timeZone`, as a `FireSchedule` (DST handling is the cron type's).
public struct CronSchedule: FireSchedule {
    public var expression: CronExpression
    public var timeZone: TimeZone

    public init(expression: CronExpression, timeZone: TimeZone) {
        self.expression = expression
        self.timeZone = timeZone
    }

    public func nextFire(after date: Date) -> Date? {
        expression.nextFire(after: date, in: timeZone)
    }
}
