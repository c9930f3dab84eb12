/// An operator API call (`POST /api/v1`): `{"type":"DRAIN_AGENT","drain_agent":{..}}`.
public struct OperatorCall: Codable, Hashable, Sendable {
    public var type: CallType
    public var drainAgent: DrainAgent?
    public var deactivateAgent: AgentRef?
    public var reactivateAgent: AgentRef?
    public var updateMaintenanceSchedule: UpdateMaintenanceSchedule?
    public var startMaintenance: Machines?
    public var stopMaintenance: Machines?

    enum CodingKeys: String, CodingKey {
        case type, drainAgent = "drain_agent", deactivateAgent = "deactivate_agent"
        case reactivateAgent = "reactivate_agent", updateMaintenanceSchedule = "update_maintenance_schedule"
        case startMaintenance = "start_maintenance", stopMaintenance = "stop_maintenance"
    }

    public init(type: CallType) { self.type = type }

    public struct CallType: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let unknown: CallType = "UNKNOWN"
        public static let getHealth: CallType = "GET_HEALTH"
        public static let getVersion: CallType = "GET_VERSION"
        public static let getState: CallType = "GET_STATE"
        public static let getAgents: CallType = "GET_AGENTS"
        public static let getFrameworks: CallType = "GET_FRAMEWORKS"
        public static let getTasks: CallType = "GET_TASKS"
        public static let getMaintenanceStatus: CallType = "GET_MAINTENANCE_STATUS"
        public static let getMaintenanceSchedule: CallType = "GET_MAINTENANCE_SCHEDULE"
        public static let updateMaintenanceSchedule: CallType = "UPDATE_MAINTENANCE_SCHEDULE"
        public static let startMaintenance: CallType = "START_MAINTENANCE"
        public static let stopMaintenance: CallType = "STOP_MAINTENANCE"
        public static let drainAgent: CallType = "DRAIN_AGENT"
        public static let deactivateAgent: CallType = "DEACTIVATE_AGENT"
        public static let reactivateAgent: CallType = "REACTIVATE_AGENT"
        public static let markAgentGone: CallType = "MARK_AGENT_GONE"
    }

    /// Kill every task on the agent (Mesos 1.9+); `mark_gone` removes the agent for good.
    public struct DrainAgent: Codable, Hashable, Sendable {
        public var agentID: AgentID
        public var maxGracePeriod: ProtobufDuration?
        @LenientOptional public var markGone: Bool?
        enum CodingKeys: String, CodingKey {
            case agentID = "agent_id", maxGracePeriod = "max_grace_period", markGone = "mark_gone"
        }
        public init(agentID: AgentID, maxGracePeriod: ProtobufDuration? = nil, markGone: Bool? = nil) {
            self.agentID = agentID
            self.maxGracePeriod = maxGracePeriod
            self.markGone = markGone
        }
    }

    /// `{"agent_id":{..}}`
    public struct AgentRef: Codable, Hashable, Sendable {
        public var agentID: AgentID
        enum CodingKeys: String, CodingKey { case agentID = "agent_id" }
        public init(agentID: AgentID) { self.agentID = agentID }
    }

    public struct UpdateMaintenanceSchedule: Codable, Hashable, Sendable {
        public var schedule: MaintenanceSchedule
        public init(schedule: MaintenanceSchedule) { self.schedule = schedule }
    }

    /// `{"machines":[{"hostname":..,"ip":..}]}`
    public struct Machines: Codable, Hashable, Sendable {
        @Repeated public var machines: [MachineID]
        public init(machines: [MachineID]) { self.machines = machines }
    }
}

extension OperatorCall {
    public static func drainAgent(_ agentID: AgentID, maxGracePeriodSeconds: Int64? = nil,
                                  markGone: Bool? = nil) -> OperatorCall {
        var call = OperatorCall(type: .drainAgent)
        call.drainAgent = DrainAgent(agentID: agentID, maxGracePeriod: maxGracePeriodSeconds.map {
            ProtobufDuration(seconds: $0) }, markGone: markGone)
        return call
    }

    public static func deactivateAgent(_ agentID: AgentID) -> OperatorCall {
        var call = OperatorCall(type: .deactivateAgent)
        call.deactivateAgent = AgentRef(agentID: agentID)
        return call
    }

    public static func reactivateAgent(_ agentID: AgentID) -> OperatorCall {
        var call = OperatorCall(type: .reactivateAgent)
        call.reactivateAgent = AgentRef(agentID: agentID)
        return call
    }

    public static func updateMaintenanceSchedule(_ schedule: MaintenanceSchedule) -> OperatorCall {
        var call = OperatorCall(type: .updateMaintenanceSchedule)
        call.updateMaintenanceSchedule = UpdateMaintenanceSchedule(schedule: schedule)
        return call
    }

    public static func startMaintenance(_ machines: [MachineID]) -> OperatorCall {
        var call = OperatorCall(type: .startMaintenance)
        call.startMaintenance = Machines(machines: machines)
        return call
    }

    public static func stopMaintenance(_ machines: [MachineID]) -> OperatorCall {
        var call = OperatorCall(type: .stopMaintenance)
        call.stopMaintenance = Machines(machines: machines)
        return call
    }
}

/// A machine: hostname and/or ip, as agents advertise them.
public struct MachineID: Codable, Hashable, Sendable {
    public var hostname: String?
    public var ip: String?
    public init(hostname: String? = nil, ip: String? = nil) {
        self.hostname = hostname
        self.ip = ip
    }
}

/// A maintenance schedule: windows of machines and when they become unavailable.
public struct MaintenanceSchedule: Codable, Hashable, Sendable {
    @Repeated public var windows: [Window]
    public init(windows: [Window]) { self.windows = windows }

    public struct Window: Codable, Hashable, Sendable {
        @Repeated public var machineIDs: [MachineID]
        public var unavailability: Unavailability
        enum CodingKeys: String, CodingKey { case machineIDs = "machine_ids", unavailability }
        public init(machineIDs: [MachineID], unavailability: Unavailability) {
            self.machineIDs = machineIDs
            self.unavailability = unavailability
        }
    }
}

/// A machine's maintenance mode.
public struct MachineMode: WireEnum {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public static let up: MachineMode = "UP"
    public static let draining: MachineMode = "DRAINING"
    public static let down: MachineMode = "DOWN"
}
