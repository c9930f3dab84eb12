/// A parsed 5-field cron expression (minute hour day-of-month month day-of-week).
///
/// Supports `*`, values, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n`, lists `a,b`, month names
/// (JAN-DEC), weekday names (SUN-SAT, 0 or 7 is Sunday) and the macros @yearly, @annually, @monthly,
/// @weekly, @daily, @midnight, @hourly. Day matching follows Vixie cron: when both day-of-month and
/// day-of-week are restricted (do not start with `*`), a day matches if either matches.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    let minuteMask: UInt64
    let hourMask: UInt64
    let dayOfMonthMask: UInt64
    let monthMask: UInt64
    let dayOfWeekMask: UInt64
    public let daysOfMonthRestricted: Bool
    public let daysOfWeekRestricted: Bool
    /// The expression as written, with whitespace normalised (macros expanded).
    public let expression: String

    public var description: String { expression }

    /// 0-59
    public var minutes: Set<Int> { Self.set(minuteMask) }
    /// 0-23
    public var hours: Set<Int> { Self.set(hourMask) }
    /// 1-31
    public var daysOfMonth: Set<Int> { Self.set(dayOfMonthMask) }
    /// 1-12
    public var months: Set<Int> { Self.set(monthMask) }
    /// 0-6, Sunday is 0.
    public var daysOfWeek: Set<Int> { Self.set(dayOfWeekMask) }

    init(
        minuteMask: UInt64, hourMask: UInt64, dayOfMonthMask: UInt64, monthMask: UInt64, dayOfWeekMask: UInt64,
        daysOfMonthRestricted: Bool, daysOfWeekRestricted: Bool, expression: String
    ) {
        self.minuteMask = minuteMask
        self.hourMask = hourMask
        self.dayOfMonthMask = dayOfMonthMask
        self.monthMask = monthMask
        self.dayOfWeekMask = dayOfWeekMask
        self.daysOfMonthRestricted = daysOfMonthRestricted
        self.daysOfWeekRestricted = daysOfWeekRestricted
        self.expression = expression
    }

    private static func set(_ mask: UInt64) -> Set<Int> {
        Set((0..<64).filter { mask & (1 << UInt64($0)) != 0 })
    }
}

/// Why a cron expression did not parse; `field` names the offending field ("minute", "hour",
/// "day-of-month", "month", "day-of-week"), nil when the whole expression is wrong.
public struct CronError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String?
    public var message: String

    public var description: String { message }
}
