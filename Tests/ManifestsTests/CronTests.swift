import Foundation
import Testing
@testable import Manifests

@Suite struct CronTests {
    static func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }
    static func zone(_ id: String) -> TimeZone { TimeZone(identifier: id)! }

    static func next(_ cron: String, _ after: String, _ zone: String = "UTC") throws -> Date? {
        try CronExpression(parsing: cron).nextFire(after: date(after), in: Self.zone(zone))
    }

    @Test func fieldsAsSets() throws {
        let cron = try CronExpression(parsing: "1-10/3,20 0 * JAN,mar 7")
        #expect(cron.minutes == [1, 4, 7, 10, 20])
        #expect(cron.hours == [0])
        #expect(cron.daysOfMonth == Set(1...31))
        #expect(cron.months == [1, 3])
        #expect(cron.daysOfWeek == [0])
        #expect(!cron.daysOfMonthRestricted && cron.daysOfWeekRestricted)
        #expect(try CronExpression(parsing: "5/15 * * * *").minutes == [5, 20, 35, 50])
        #expect(try CronExpression(parsing: "@daily") == CronExpression(parsing: "0 0 * * *"))
        #expect(try CronExpression(parsing: "  */15   *  * * * ").expression == "*/15 * * * *")
    }

    @Test func parseErrorsNameTheField() {
        func error(_ text: String) -> CronError? {
            do { _ = try CronExpression(parsing: text); return nil } catch { return error }
        }
        #expect(error("60 * * * *")?.field == "minute")
        #expect(error("* 24 * * *")?.field == "hour")
        #expect(error("* * 0 * *")?.field == "day-of-month")
        #expect(error("* * * 13 *")?.field == "month")
        #expect(error("* * * * 8")?.field == "day-of-week")
        #expect(error("* * * * FUNDAY")?.message == "day-of-week field 'FUNDAY': 'FUNDAY' is not a number or a name (SUN, MON, TUE, WED, THU, FRI, SAT)")
        #expect(error("1,,2 * * * *")?.message == "minute field '1,,2': empty list item")
        #expect(error("* * * * * *")?.field == nil)
        #expect(error("@often")?.field == nil)
    }

    @Test func simpleNextFires() throws {
        #expect(try Self.next("0 9 * * MON-FRI", "2026-11-27T10:00:00Z") == Self.date("2026-11-30T09:00:00Z"))
        #expect(try Self.next("*/15 * * * *", "2026-11-27T10:00:00Z") == Self.date("2026-11-27T10:15:00Z"))
        #expect(try Self.next("*/15 * * * *", "2026-11-27T10:14:59Z") == Self.date("2026-11-27T10:15:00Z"))
        #expect(try Self.next("0 0 1 1 *", "2026-06-01T00:00:00Z") == Self.date("2027-01-01T00:00:00Z"))
        #expect(try Self.next("0 0 29 2 *", "2026-03-01T00:00:00Z") == Self.date("2028-02-29T00:00:00Z"))
        #expect(try Self.next("0 0 30 2 *", "2026-03-01T00:00:00Z") == nil)
        // Both day fields restricted: either matches (Friday 27th before the 13th of December).
        #expect(try Self.next("0 0 13 * FRI", "2026-11-25T00:00:00Z") == Self.date("2026-11-27T00:00:00Z"))
        #expect(try Self.next("0 12 * * *", "2026-11-25T00:00:00Z", "Asia/Tokyo") == Self.date("2026-11-25T03:00:00Z"))
    }

    @Test func springForwardBerlin() throws {
        // 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC). 02:30 does not exist: fires at the jump.
        #expect(try Self.next("30 2 * * *", "2026-03-28T12:00:00Z", "Europe/Berlin") == Self.date("2026-03-29T01:00:00Z"))
        #expect(try Self.next("30 2 * * *", "2026-03-29T01:00:00Z", "Europe/Berlin") == Self.date("2026-03-30T00:30:00Z"))
        // An hourly job simply has no 02:xx run that day.
        #expect(try Self.next("0 * * * *", "2026-03-29T00:30:00Z", "Europe/Berlin") == Self.date("2026-03-29T01:00:00Z"))
        #expect(try Self.next("0 * * * *", "2026-03-29T01:00:00Z", "Europe/Berlin") == Self.date("2026-03-29T02:00:00Z"))
    }

    @Test func fallBackBerlin() throws {
        // 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC); 02:30 happens twice.
        #expect(try Self.next("30 2 * * *", "2026-10-24T12:00:00Z", "Europe/Berlin") == Self.date("2026-10-25T00:30:00Z"))
        #expect(try Self.next("30 2 * * *", "2026-10-25T00:30:00Z", "Europe/Berlin") == Self.date("2026-10-26T01:30:00Z"))
        // With every hour selected, the repeated hour fires again.
        #expect(try Self.next("*/30 * * * *", "2026-10-25T00:30:00Z", "Europe/Berlin") == Self.date("2026-10-25T01:00:00Z"))
        #expect(try Self.next("*/30 * * * *", "2026-10-25T01:00:00Z", "Europe/Berlin") == Self.date("2026-10-25T01:30:00Z"))
    }

    @Test func newYorkTransitions() throws {
        // 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
        #expect(try Self.next("30 2 * * *", "2026-03-07T12:00:00Z", "America/New_York") == Self.date("2026-03-08T07:00:00Z"))
        #expect(try Self.next("0 3 * * *", "2026-03-07T12:00:00Z", "America/New_York") == Self.date("2026-03-08T07:00:00Z"))
        // 2026-11-01: 02:00 EDT falls back to 01:00 EST (06:00 UTC); 01:30 happens twice, fires once.
        #expect(try Self.next("30 1 * * *", "2026-10-31T12:00:00Z", "America/New_York") == Self.date("2026-11-01T05:30:00Z"))
        #expect(try Self.next("30 1 * * *", "2026-11-01T05:30:00Z", "America/New_York") == Self.date("2026-11-02T06:30:00Z"))
        #expect(try Self.next("0 9 * * *", "2026-11-01T05:30:00Z", "America/New_York") == Self.date("2026-11-01T14:00:00Z"))
    }
}
