import Manifests

/// Singularity schedules to Converge's 5-field cron.
///
/// Singularity keeps a CRON request's own expression in `schedule` (and a Quartz translation in
/// `quartzSchedule`); QUARTZ requests use `quartzSchedule` (or `schedule`). Quartz has a seconds
/// field first, an optional year last, `?` for "no specific value", day-of-week 1-7 with 1 = Sunday
/// (cron: 0-6, 0 = Sunday), and `L`, `W` and `#`, which cron cannot say.
public enum ScheduleConversion {
    public enum Result: Sendable, Hashable {
        /// A valid 5-field cron expression; `note` says what was rewritten, if anything.
        case cron(String, note: String?)
        /// Cannot be expressed; the reason names the part.
        case unconvertible(String)
    }

    public static func convert(schedule: String?, quartzSchedule: String?, scheduleType: String?) -> Result {
        let type = scheduleType?.uppercased()
        if type == "RFC5545" {
            return .unconvertible("RFC 5545 recurrence rules (\(schedule ?? "")) have no cron form")
        }
        if type != "QUARTZ", let schedule, !schedule.isEmpty {
            let fields = schedule.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count == 5 || schedule.hasPrefix("@") {
                return cron(schedule)
            }
            return quartz(schedule)
        }
        if let quartzSchedule, !quartzSchedule.isEmpty { return quartz(quartzSchedule) }
        if let schedule, !schedule.isEmpty { return quartz(schedule) }
        return .unconvertible("the request has no schedule")
    }

    /// A 5-field cron expression as is ('?' read as '*', which is what it means there).
    static func cron(_ text: String) -> Result {
        var note: String?
        var expression = text
        if text.contains("?") {
            expression = text.replacingOccurrences(of: "?", with: "*")
            note = "'?' written as '*'"
        }
        do {
            _ = try CronExpression(parsing: expression)
            return .cron(expression, note: note)
        } catch {
            return .unconvertible("cron expression \"\(text)\": \(error.message)")
        }
    }

    /// A Quartz expression: seconds minutes hours day-of-month month day-of-week [year].
    public static func quartz(_ text: String) -> Result {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 6 || fields.count == 7 else {
            return .unconvertible("Quartz expression \"\(text)\" has \(fields.count) fields; expected 6 or 7")
        }
        let seconds = fields[0]
        guard let secondValue = Int(seconds), secondValue == 0 else {
            return .unconvertible("Quartz expression \"\(text)\" fires at seconds '\(seconds)'; Converge runs jobs on whole minutes")
        }
        if fields.count == 7, fields[6] != "*", fields[6] != "?" {
            return .unconvertible("Quartz expression \"\(text)\" is limited to years '\(fields[6])'; cron has no year field")
        }
        var minute = fields[1], hour = fields[2], dayOfMonth = fields[3], month = fields[4], dayOfWeek = fields[5]
        for (name, value) in [("minutes", minute), ("hours", hour), ("month", month)] where value.contains("?") {
            return .unconvertible("Quartz expression \"\(text)\": '?' is not allowed in the \(name) field")
        }
        if dayOfMonth.contains(where: { "LW#".contains($0) }) {
            return .unconvertible("Quartz expression \"\(text)\": day-of-month '\(dayOfMonth)' (L = last day, W = nearest weekday) has no cron form")
        }
        if dayOfWeek.contains("#") || dayOfWeek.uppercased().contains("L") {
            return .unconvertible("Quartz expression \"\(text)\": day-of-week '\(dayOfWeek)' (# = nth weekday, L = last weekday) has no cron form")
        }
        let domAny = dayOfMonth == "?" || dayOfMonth == "*"
        let dowAny = dayOfWeek == "?" || dayOfWeek == "*"
        if !domAny && !dowAny {
            return .unconvertible("Quartz expression \"\(text)\" restricts both day-of-month and day-of-week; Quartz does not support that and cron would match either")
        }
        if dayOfMonth == "?" { dayOfMonth = "*" }
        if dayOfWeek == "?" { dayOfWeek = "*" }
        // Quartz day-of-week numbers are one higher than cron's.
        if !dowAny {
            switch quartzDaysOfWeek(dayOfWeek) {
            case .success(let days): dayOfWeek = compact(days.map { $0 - 1 })
            case .failure(let problem):
                return .unconvertible("Quartz expression \"\(text)\": day-of-week '\(fields[5])': \(problem.message)")
            }
        }
        minute = stripLeadingZeros(minute)
        hour = stripLeadingZeros(hour)
        let expression = [minute, hour, dayOfMonth, month, dayOfWeek].joined(separator: " ")
        do {
            _ = try CronExpression(parsing: expression)
        } catch {
            return .unconvertible("Quartz expression \"\(text)\" converts to \"\(expression)\", which is not valid cron: \(error.message)")
        }
        return .cron(expression, note: "converted from Quartz \"\(text)\"")
    }

    private static let days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    struct Problem: Error { var message: String }

    /// The Quartz days (1 = Sunday ... 7 = Saturday) a day-of-week field selects.
    static func quartzDaysOfWeek(_ field: String) -> Swift.Result<[Int], Problem> {
        var selected = Set<Int>()
        func day(_ token: Substring) -> Int? {
            if let number = Int(token), (1...7).contains(number) { return number }
            if let index = days.firstIndex(of: token.uppercased()) { return index + 1 }
            return nil
        }
        for item in field.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, !parts[0].isEmpty else { return .failure(Problem(message: "cannot read '\(item)'")) }
            var step = 1
            if parts.count == 2 {
                guard let value = Int(parts[1]), value > 0 else {
                    return .failure(Problem(message: "step '\(parts[1])' must be a positive number"))
                }
                step = value
            }
            var low = 1, high = 7
            if parts[0] != "*" {
                let bounds = parts[0].split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2, let a = day(bounds[0]) else {
                    return .failure(Problem(message: "'\(parts[0])' is not a day (1-7 or SUN-SAT)"))
                }
                low = a
                if bounds.count == 2 {
                    guard let b = day(bounds[1]) else {
                        return .failure(Problem(message: "'\(bounds[1])' is not a day (1-7 or SUN-SAT)"))
                    }
                    high = b
                } else {
                    high = parts.count == 2 ? 7 : a
                }
            }
            if low <= high {
                var v = low
                while v <= high { selected.insert(v); v += step }
            } else {
                // Quartz wraps a range like FRI-MON around the week.
                var v = low, n = 0
                while n <= (high + 7 - low) {
                    if n % step == 0 { selected.insert((v - 1) % 7 + 1) }
                    v += 1
                    n += 1
                }
            }
        }
        return .success(selected.sorted())
    }

    /// A sorted set as a cron list with ranges: [1,2,3,5] -> "1-3,5".
    static func compact(_ values: [Int]) -> String {
        let sorted = Set(values).sorted()
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            if j - i >= 2 {
                parts.append("\(sorted[i])-\(sorted[j])")
            } else {
                for k in i...j { parts.append(String(sorted[k])) }
            }
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// "05" -> "5" in plain number tokens (cron reads both; this keeps output tidy).
    private static func stripLeadingZeros(_ field: String) -> String {
        field.split(separator: ",", omittingEmptySubsequences: false).map { item -> String in
            String(item).split(separator: "-", omittingEmptySubsequences: false).map { part -> String in
                let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
                return pieces.map { p -> String in Int(p).map(String.init) ?? String(p) }.joined(separator: "/")
            }.joined(separator: "-")
        }.joined(separator: ",")
    }
}
