import Foundation

/// Exponential backoff with full jitter: delay n is random in [base*m^n*(1-jitter), base*m^n], capped.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double
    /// Fraction of each delay that is randomised (0...1).
    public var jitter: Double

    public init(initial: Duration = .milliseconds(200), maximum: Duration = .seconds(30),
                multiplier: Double = 2, jitter: Double = 0.5) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay before retry number `attempt` (0-based).
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let base = initial.seconds * pow(multiplier, Double(min(attempt, 60)))
        let capped = min(base, maximum.seconds)
        let low = capped * (1 - jitter)
        let seconds = low >= capped ? capped : Double.random(in: low...capped, using: &generator)
        return .nanoseconds(Int64(seconds * 1e9))
    }

    public func delay(attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(attempt: attempt, using: &generator)
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }

    var milliseconds: Int {
        Int(min(seconds * 1000, Double(Int.max / 2)).rounded(.up))
    }
}

