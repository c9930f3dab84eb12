import Foundation

/// Override lengths as typed on the command line and in the API: `30s`, `15m`, `2h`, `1d`, or
/// combinations such as `1h30m`.
public enum OverrideDuration {
    /// The longest override: 30 days.
    public static let maximumSeconds: TimeInterval = 30 * 86_400

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Seconds, or a clear error naming the text.
    public static func parse(_ text: String) throws(ParseError) -> TimeInterval {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func fail(_ why: String) -> ParseError {
            ParseError(description: "invalid duration \"\(text)\": \(why) (use e.g. 30s, 15m, 2h, 1d or 1h30m)")
        }
        guard !trimmed.isEmpty else { throw fail("empty") }
        var total: TimeInterval = 0
        var digits = ""
        var seenUnits = Set<Character>()
        for character in trimmed {
            if let ascii = character.asciiValue, ascii >= 48, ascii <= 57 {
                digits.append(character)
                guard digits.count <= 9 else { throw fail("number too large") }
                continue
            }
            let scale: TimeInterval
            switch character {
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3_600
            case "d": scale = 86_400
            default: throw fail("unexpected \"\(character)\"")
            }
            guard let amount = Int(digits) else { throw fail("\"\(character)\" without a number before it") }
            guard seenUnits.insert(character).inserted else { throw fail("unit \"\(character)\" given twice") }
            total += TimeInterval(amount) * scale
            digits = ""
        }
        guard digits.isEmpty else { throw fail("a number needs a unit (s, m, h or d)") }
        guard total > 0 else { throw fail("must be longer than zero") }
        guard total <= maximumSeconds else { throw fail("longer than the maximum of 30d") }
        return total
    }

    /// `2h`, `1h30m`, `45s`: the short form of a length in seconds (rounded down to whole seconds).
    public static func format(_ seconds: TimeInterval) -> String {
        var rest = max(0, Int(seconds))
        var out = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out.isEmpty ? "0s" : out
    }
}
