/// Why an agent cannot take a task: one constant per feasibility check, so a pending task can be explained.
public enum RejectionReason: String, Sendable, Hashable, CaseIterable, Comparable {
    case agentNotActive = "not accepting tasks"
    case role = "offer role not allowed"
    case requiredAttributes = "fail requiredAttributes"
    case allowedAttributes = "fail allowedAttributes"
    case missingRack = "lack the rack attribute"
    case cpus = "lack cpus"
    case mem = "lack mem"
    case disk = "lack disk"
    case ports = "lack ports"
    case separateHosts = "already run an instance (separateHosts)"
    case spreadAllAgents = "already run an instance (spreadAllAgents)"
    case rackFull = "are on a rack holding its share (rackSensitive)"

    public static func < (lhs: RejectionReason, rhs: RejectionReason) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One rejection reason with the constraint that failed (`zone=us-east-1a`), counted over agents.
public struct Rejection: Sendable, Hashable, Comparable {
    public var reason: RejectionReason
    /// The failing constraint, for attribute checks; empty otherwise.
    public var detail: String

    public init(_ reason: RejectionReason, detail: String = "") {
        self.reason = reason
        self.detail = detail
    }

    public static func < (lhs: Rejection, rhs: Rejection) -> Bool {
        lhs.reason == rhs.reason ? lhs.detail < rhs.detail : lhs.reason < rhs.reason
    }
}

/// Why a task is still pending: how many agents each check rejected.
public struct PendingExplanation: Sendable, Hashable, CustomStringConvertible {
    /// Agents (offer snapshots) looked at.
    public var agentsConsidered: Int
    public var rejections: [Rejection: Int]

    public init(agentsConsidered: Int, rejections: [Rejection: Int]) {
        self.agentsConsidered = agentsConsidered
        self.rejections = rejections
    }

    /// "3 agents lack cpus, 2 agents fail requiredAttributes zone=us-east-1a"; "no offers" when nothing was offered.
    public var description: String {
        if agentsConsidered == 0 { return "no offers" }
        return rejections.sorted { $0.key < $1.key }.map { rejection, count in
            let noun = count == 1 ? "agent" : "agents"
            let detail = rejection.detail.isEmpty ? "" : " \(rejection.detail)"
            return "\(count) \(noun) \(rejection.reason.rawValue)\(detail)"
        }.joined(separator: ", ")
    }
}

/// A ranker's contribution to the score of the chosen agent.
public struct ScoreComponent: Sendable, Hashable {
    public var ranker: Ranker
    /// The ranker's raw score before its weight: in [-1, 1], except `instanceSpread` (minus a count).
    public var score: Double
    public var weight: Double

    public var weighted: Double { score * weight }
}
