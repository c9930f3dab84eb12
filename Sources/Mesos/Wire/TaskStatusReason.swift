extension TaskStatus {
    /// Who produced a status update.
    public struct Source: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let master: Source = "SOURCE_MASTER"
        public static let agent: Source = "SOURCE_AGENT"
        public static let executor: Source = "SOURCE_EXECUTOR"
    }

    /// Why a status update happened. Every reason in mesos.proto; unknown values decode too.
    public struct Reason: WireEnum {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }

        public static let commandExecutorFailed: Reason = "REASON_COMMAND_EXECUTOR_FAILED"
        public static let containerLaunchFailed: Reason = "REASON_CONTAINER_LAUNCH_FAILED"
        public static let containerLimitation: Reason = "REASON_CONTAINER_LIMITATION"
        public static let containerLimitationDisk: Reason = "REASON_CONTAINER_LIMITATION_DISK"
        public static let containerLimitationMemory: Reason = "REASON_CONTAINER_LIMITATION_MEMORY"
        public static let containerPreempted: Reason = "REASON_CONTAINER_PREEMPTED"
        public static let containerUpdateFailed: Reason = "REASON_CONTAINER_UPDATE_FAILED"
        public static let maxCompletionTimeReached: Reason = "REASON_MAX_COMPLETION_TIME_REACHED"
        public static let executorRegistrationTimeout: Reason = "REASON_EXECUTOR_REGISTRATION_TIMEOUT"
        public static let executorReregistrationTimeout: Reason = "REASON_EXECUTOR_REREGISTRATION_TIMEOUT"
        public static let executorTerminated: Reason = "REASON_EXECUTOR_TERMINATED"
        public static let executorUnregistered: Reason = "REASON_EXECUTOR_UNREGISTERED"
        public static let frameworkRemoved: Reason = "REASON_FRAMEWORK_REMOVED"
        public static let gcError: Reason = "REASON_GC_ERROR"
        public static let invalidFrameworkID: Reason = "REASON_INVALID_FRAMEWORKID"
        public static let invalidOffers: Reason = "REASON_INVALID_OFFERS"
        public static let ioSwitchboardExited: Reason = "REASON_IO_SWITCHBOARD_EXITED"
        public static let masterDisconnected: Reason = "REASON_MASTER_DISCONNECTED"
        public static let reconciliation: Reason = "REASON_RECONCILIATION"
        public static let resourcesUnknown: Reason = "REASON_RESOURCES_UNKNOWN"
        public static let agentDisconnected: Reason = "REASON_AGENT_DISCONNECTED"
        public static let agentDraining: Reason = "REASON_AGENT_DRAINING"
        public static let agentRemoved: Reason = "REASON_AGENT_REMOVED"
        public static let agentRemovedByOperator: Reason = "REASON_AGENT_REMOVED_BY_OPERATOR"
        public static let agentReregistered: Reason = "REASON_AGENT_REREGISTERED"
        public static let agentRestarted: Reason = "REASON_AGENT_RESTARTED"
        public static let agentUnknown: Reason = "REASON_AGENT_UNKNOWN"
        public static let taskKilledDuringLaunch: Reason = "REASON_TASK_KILLED_DURING_LAUNCH"
        public static let taskCheckStatusUpdated: Reason = "REASON_TASK_CHECK_STATUS_UPDATED"
        public static let taskHealthCheckStatusUpdated: Reason = "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED"
        public static let taskGroupInvalid: Reason = "REASON_TASK_GROUP_INVALID"
        public static let taskGroupUnauthorized: Reason = "REASON_TASK_GROUP_UNAUTHORIZED"
        public static let taskInvalid: Reason = "REASON_TASK_INVALID"
        public static let taskUnauthorized: Reason = "REASON_TASK_UNAUTHORIZED"
        public static let taskUnknown: Reason = "REASON_TASK_UNKNOWN"

        public static let allKnown: [Reason] = [
            .commandExecutorFailed, .containerLaunchFailed, .containerLimitation, .containerLimitationDisk,
            .containerLimitationMemory, .containerPreempted, .containerUpdateFailed, .maxCompletionTimeReached,
            .executorRegistrationTimeout, .executorReregistrationTimeout, .executorTerminated,
            .executorUnregistered, .frameworkRemoved, .gcError, .invalidFrameworkID, .invalidOffers,
            .ioSwitchboardExited, .masterDisconnected, .reconciliation, .resourcesUnknown,
            .agentDisconnected, .agentDraining, .agentRemoved, .agentRemovedByOperator, .agentReregistered,
            .agentRestarted, .agentUnknown, .taskKilledDuringLaunch, .taskCheckStatusUpdated,
            .taskHealthCheckStatusUpdated, .taskGroupInvalid, .taskGroupUnauthorized, .taskInvalid,
            .taskUnauthorized, .taskUnknown,
        ]
    }
}
