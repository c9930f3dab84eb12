import Foundation

/// How long a service waits before replacing a task that keeps failing, and when it counts as crash looping.
public struct BackoffPolicy: Sendable, Hashable {
    /// Delay after the first failure; doubles with each further consecutive failure.
    public var baseSeconds: Double
    public var maxSeconds: Double
    /// Plus or minus this fraction of the delay, seeded, so many services do not retry in lockstep.
    public var jitter: Double
    /// This many failures within `crashLoopWindowSeconds` put the service in cooldown.
    public var crashLoopFailures: Int
    public var crashLoopWindowSeconds: Double
    public var cooldownSeconds: Double

    public init(baseSeconds: Double = 5, maxSeconds: Double = 300, jitter: Double = 0.2, crashLoopFailures: Int = 5,
                crashLoopWindowSeconds: Double = 300, cooldownSeconds: Double = 600) {
        self.baseSeconds = baseSeconds
        self.maxSeconds = maxSeconds
        self.jitter = jitter
        self.crashLoopFailures = crashLoopFailures
        self.crashLoopWindowSeconds = crashLoopWindowSeconds
        self.cooldownSeconds = cooldownSeconds
    }

    public static let standard = BackoffPolicy()

    /// The delay before the next launch after `consecutive` failures (>= 1), jittered by `seed`.
    public func delay(afterConsecutiveFailures consecutive: Int, seed: String) -> Double {
        guard consecutive > 0 else { return 0 }
        let exponent = Double(min(consecutive - 1, 30))
        let raw = min(maxSeconds, baseSeconds * pow(2, exponent))
        var generator = SeededGenerator(seed: "\(seed)#\(consecutive)")
        let factor = 1 + jitter * (generator.nextUnit() * 2 - 1)
        return min(maxSeconds, raw * factor)
    }
}

/// A service's failures since its last healthy task: kept by the driver (and the state store), a value.
public struct FailureRecord: Sendable, Hashable {
    public var failures: [Date]
    public var lastMessage: String?

    public init(failures: [Date] = [], lastMessage: String? = nil) {
        self.failures = failures
        self.lastMessage = lastMessage
    }

    public mutating func recordFailure(at time: Date, message: String?, keepAtMost: Int = 64) {
        failures.append(time)
        if failures.count > keepAtMost { failures.removeFirst(failures.count - keepAtMost) }
        if let message { lastMessage = message }
    }

    /// A task turned healthy: the streak is over.
    public mutating func recordHealthy() {
        failures.removeAll()
        lastMessage = nil
    }
}

/// May the service launch replacements now?
public enum LaunchGate: Sendable, Hashable {
    case open
    case backoff(until: Date, consecutiveFailures: Int)
    /// A visible crash-loop cooldown, with the reason shown in status.
    case cooldown(until: Date, reason: String)

    public var blockedUntil: Date? {
        switch self {
        case .open: nil
        case .backoff(let until, _), .cooldown(let until, _): until
        }
    }

    public static func evaluate(service: String, record: FailureRecord, now: Date, policy: BackoffPolicy = .standard) -> LaunchGate {
        guard let last = record.failures.last else { return .open }
        let windowStart = last.addingTimeInterval(-policy.crashLoopWindowSeconds)
        let recent = record.failures.filter { $0 >= windowStart }.count
        if recent >= policy.crashLoopFailures {
            let until = last.addingTimeInterval(policy.cooldownSeconds)
            if now < until {
                let detail = record.lastMessage.map { ", last: \($0)" } ?? ""
                return .cooldown(until: until, reason: "crash loop: \(recent) failures in \(Int(policy.crashLoopWindowSeconds))s\(detail)")
            }
            return .open
        }
        let until = last.addingTimeInterval(policy.delay(afterConsecutiveFailures: record.failures.count, seed: service))
        return now < until ? .backoff(until: until, consecutiveFailures: record.failures.count) : .open
    }
}
