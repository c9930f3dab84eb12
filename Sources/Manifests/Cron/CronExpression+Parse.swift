extension CronExpression {
    private struct FieldSpec {
        var name: String
        var range: ClosedRange<Int>
        var names: [String]
    }

    private static let fieldSpecs = [
        FieldSpec(name: "minute", range: 0...59, names: []),
        FieldSpec(name: "hour", range: 0...23, names: []),
        FieldSpec(name: "day-of-month", range: 1...31, names: []),
        FieldSpec(
            name: "month", range: 1...12,
            names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        FieldSpec(name: "day-of-week", range: 0...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ]

    private static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses a 5-field expression or a macro.
    public init(parsing text: String) throws(CronError) {
        var trimmed = Substring(text)
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        var source = String(trimmed)
        if source.hasPrefix("@") {
            guard let expanded = Self.macros[source.lowercased()] else {
                throw CronError(field: nil, message: "unknown macro '\(source)'; expected one of @yearly, @monthly, @weekly, @daily, @hourly")
            }
            source = expanded
        }
        let fields = source.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            throw CronError(
                field: nil,
                message: "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)")
        }
        var masks: [UInt64] = []
        for (field, spec) in zip(fields, Self.fieldSpecs) {
            masks.append(try Self.parseField(field, spec))
        }
        // Day-of-week 7 is Sunday.
        if masks[4] & (1 << 7) != 0 { masks[4] = (masks[4] & ~(1 << 7)) | 1 }
        self.init(
            minuteMask: masks[0], hourMask: masks[1], dayOfMonthMask: masks[2], monthMask: masks[3],
            dayOfWeekMask: masks[4],
            daysOfMonthRestricted: !fields[2].hasPrefix("*"), daysOfWeekRestricted: !fields[4].hasPrefix("*"),
            expression: fields.joined(separator: " "))
    }

    private static func parseField(_ field: Substring, _ spec: FieldSpec) throws(CronError) -> UInt64 {
        func failure(_ message: String) -> CronError {
            CronError(field: spec.name, message: "\(spec.name) field '\(field)': \(message)")
        }
        var mask: UInt64 = 0
        for item in field.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw failure("empty list item") }
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw failure("more than one '/' in '\(item)'") }
            var step = 1
            if parts.count == 2 {
                guard let value = Int(parts[1]), value > 0 else {
                    throw failure("step '\(parts[1])' must be a positive number")
                }
                step = value
            }
            let base = parts[0]
            var low: Int
            var high: Int
            if base == "*" {
                low = spec.range.lowerBound
                high = spec.range.upperBound
            } else {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2 else { throw failure("'\(base)' is not a value or range") }
                low = try value(bounds[0], spec, failure)
                high = bounds.count == 2 ? try value(bounds[1], spec, failure) : (parts.count == 2 ? spec.range.upperBound : low)
                guard low <= high else { throw failure("range \(base) runs backwards") }
            }
            var v = low
            while v <= high {
                mask |= 1 << UInt64(v)
                v += step
            }
        }
        return mask
    }

    private static func value(
        _ text: Substring, _ spec: FieldSpec, _ failure: (String) -> CronError
    ) throws(CronError) -> Int {
        if let number = Int(text) {
            guard spec.range.contains(number) else {
                throw failure("\(number) is out of range \(spec.range.lowerBound)-\(spec.range.upperBound)")
            }
            return number
        }
        if let index = spec.names.firstIndex(of: text.uppercased()) {
            return spec.name == "month" ? index + 1 : index
        }
        if spec.names.isEmpty { throw failure("'\(text)' is not a number") }
        throw failure("'\(text)' is not a number or a name (\(spec.names.joined(separator: ", ")))")
    }
}
