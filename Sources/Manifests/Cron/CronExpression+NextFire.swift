import Foundation

extension CronExpression {
    /// The first fire time strictly after `date`, with the fields read as wall-clock time in `timeZone`.
    ///
    /// Daylight saving: a wall-clock time skipped by a spring-forward jump fires once, at the instant
    /// the jump happens (e.g. 02:30 fires at 03:00 CEST). A wall-clock time repeated by a fall-back jump
    /// fires once, at its first occurrence, unless the hour field is `*` (every hour), in which case it
    /// fires in both occurrences (as Vixie cron does). Nil if nothing matches within 8 years
    /// (e.g. `0 0 30 2 *`).
    public func nextFire(after date: Date, in timeZone: TimeZone) -> Date? {
        let after = date.timeIntervalSince1970
        let start = Int64(after.rounded(.down))
        var day = Self.floorDiv(start + Int64(Self.offset(timeZone, start)), 86_400)
        for _ in 0..<(366 * 8 + 2) {
            if dayMatches(day), let fire = firstFire(onDay: day, after: after, timeZone) {
                return Date(timeIntervalSince1970: TimeInterval(fire))
            }
            day += 1
        }
        return nil
    }

    func dayMatches(_ day: Int64) -> Bool {
        let (_, month, dayOfMonth) = CivilDate.fromDays(day)
        guard monthMask & (1 << UInt64(month)) != 0 else { return false }
        let weekday = Int(((day % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        let domMatch = dayOfMonthMask & (1 << UInt64(dayOfMonth)) != 0
        let dowMatch = dayOfWeekMask & (1 << UInt64(weekday)) != 0
        if daysOfMonthRestricted && daysOfWeekRestricted { return domMatch || dowMatch }
        return domMatch && dowMatch
    }

    /// Earliest fire instant (seconds since 1970) on local day `day` that is after `after`.
    private func firstFire(onDay day: Int64, after: Double, _ tz: TimeZone) -> Int64? {
        let dayStart = day * 86_400
        let before = Self.offset(tz, dayStart - 15 * 3600)
        let afterDay = Self.offset(tz, dayStart + 86_400 + 15 * 3600)
        if before == afterDay {
            // No transition near this day: wall-clock order is instant order.
            for hour in 0..<24 where hourMask & (1 << UInt64(hour)) != 0 {
                for minute in 0..<60 where minuteMask & (1 << UInt64(minute)) != 0 {
                    let instant = dayStart + Int64(hour * 3600 + minute * 60) - Int64(before)
                    if Double(instant) > after { return instant }
                }
            }
            return nil
        }
        let everyHour = hourMask & 0xFF_FFFF == 0xFF_FFFF
        var best: Int64? = nil
        for hour in 0..<24 where hourMask & (1 << UInt64(hour)) != 0 {
            for minute in 0..<60 where minuteMask & (1 << UInt64(minute)) != 0 {
                let local = dayStart + Int64(hour * 3600 + minute * 60)
                var candidates = Self.instants(forLocal: local, tz)
                if !everyHour && candidates.count > 1 { candidates = [candidates[0]] }
                for instant in candidates where Double(instant) > after && instant < (best ?? .max) {
                    best = instant
                }
            }
        }
        return best
    }

    /// The instants whose wall-clock time in `tz` is `local`: one normally, two in a fall-back overlap,
    /// and in a spring-forward gap the single instant at which the gap ends.
    static func instants(forLocal local: Int64, _ tz: TimeZone) -> [Int64] {
        let early = offset(tz, local - 15 * 3600)
        let late = offset(tz, local + 15 * 3600)
        var result: [Int64] = []
        for o in Set([early, late]).sorted(by: >) {
            let instant = local - Int64(o)
            if offset(tz, instant) == o { result.append(instant) }
        }
        result.sort()
        if !result.isEmpty { return result }
        // Gap: binary-search the transition between the two readings.
        var lo = local - Int64(max(early, late))
        var hi = local - Int64(min(early, late))
        let target = offset(tz, hi)
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if offset(tz, mid) == target { hi = mid } else { lo = mid }
        }
        return [hi]
    }

    static func offset(_ tz: TimeZone, _ instant: Int64) -> Int {
        tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
