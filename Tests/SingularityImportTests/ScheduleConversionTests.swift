import Testing
@testable import SingularityImport

@Suite("Quartz and cron schedules")
struct ScheduleConversionTests {
    /// Quartz expression -> cron (nil: unconvertible).
    static let table: [(String, String?)] = [
        ("0 0 3 * * ?", "0 3 * * *"),
        ("0 15 * ? * MON-FRI", "15 * * * 1-5"),
        ("0 30 6 ? * 2,4,6", "30 6 * * 1,3,5"),          // 2 = Monday in Quartz
        ("0 0 4 ? * 1,7", "0 4 * * 0,6"),                // Sunday and Saturday
        ("0 0 4 ? * 2-6", "0 4 * * 1-5"),
        ("0 0 4 ? * 1/2", "0 4 * * 0,2,4,6"),            // Sun, Tue, Thu, Sat
        ("0 0 4 ? * */3", "0 4 * * 0,3,6"),
        ("0 0 4 ? * FRI-MON", "0 4 * * 0,1,5,6"),        // wraps around the week
        ("0 0 4 ? * SUN", "0 4 * * 0"),
        ("0 0/15 9-17 ? * MON-FRI", "0/15 9-17 * * 1-5"),
        ("00 05 3 1,15 * ?", "5 3 1,15 * *"),
        ("0 0 12 1 JAN,JUL ?", "0 12 1 JAN,JUL *"),
        ("0 0 0 1 1 ? *", "0 0 1 1 *"),
        ("0 */5 * * * ?", "*/5 * * * *"),
        ("*/30 * * * * ?", nil),                         // seconds
        ("30 0 * * * ?", nil),
        ("0 0 23 L * ?", nil),                           // last day of month
        ("0 0 9 LW * ?", nil),
        ("0 0 9 15W * ?", nil),
        ("0 0 9 ? * 6#3", nil),                          // third Friday
        ("0 0 9 ? * 6L", nil),                           // last Friday
        ("0 0 0 1 1 ? 2027", nil),                       // a year
        ("0 0 9 1 * 2", nil),                            // both day fields
        ("0 0 9 * *", nil),                              // 5 fields is not Quartz
        ("0 0 25 * * ?", nil),                           // hour out of range
    ]

    @Test("Quartz to cron", arguments: table)
    func quartz(_ row: (String, String?)) {
        let result = ScheduleConversion.quartz(row.0)
        switch (result, row.1) {
        case (.cron(let cron, _), let expected?): #expect(cron == expected)
        case (.unconvertible(let reason), nil): #expect(reason.contains(row.0))
        default: Issue.record("\(row.0): got \(result), expected \(row.1 ?? "unconvertible")")
        }
    }

    @Test("CRON requests keep their own expression; QUARTZ requests use quartzSchedule; RFC5545 is reported")
    func types() {
        #expect(ScheduleConversion.convert(schedule: "0 3 * * *", quartzSchedule: "0 0 3 * * ?", scheduleType: "CRON")
            == .cron("0 3 * * *", note: nil))
        #expect(ScheduleConversion.convert(schedule: "*/10 * * * ?", quartzSchedule: nil, scheduleType: nil)
            == .cron("*/10 * * * *", note: "'?' written as '*'"))
        #expect(ScheduleConversion.convert(schedule: nil, quartzSchedule: "0 0 3 * * ?", scheduleType: "QUARTZ")
            == .cron("0 3 * * *", note: "converted from Quartz \"0 0 3 * * ?\""))
        #expect(ScheduleConversion.convert(schedule: "0 0 3 * * ?", quartzSchedule: nil, scheduleType: nil)
            == .cron("0 3 * * *", note: "converted from Quartz \"0 0 3 * * ?\""))
        guard case .unconvertible(let reason) = ScheduleConversion.convert(
            schedule: "FREQ=DAILY", quartzSchedule: nil, scheduleType: "RFC5545")
        else { Issue.record("RFC5545 converted"); return }
        #expect(reason.contains("RFC 5545"))
        guard case .unconvertible = ScheduleConversion.convert(schedule: "@every 5m", quartzSchedule: nil, scheduleType: "CRON")
        else { Issue.record("@every accepted"); return }
    }
}
