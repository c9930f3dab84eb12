import Foundation
import Mesos

/// The environment a Mesos 1.11 agent gives a custom executor (MESOS-EXECUTOR.md 1.2): exactly
/// these variables, none of the agent's own.
enum ExecutorEnvironment {
    static let defaultPATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    struct Input: Sendable {
        var agentHost: String
        var agentPort: Int
        var agentID: AgentID
        var frameworkID: FrameworkID
        var executor: ExecutorInfo
        var directory: String
        var checkpoint: Bool
        var shutdownGrace: Double
        var extra: [String: String]
    }

    static func make(_ input: Input) -> [String: String] {
        let endpoint = "\(input.agentHost):\(input.agentPort)"
        var environment: [String: String] = [
            "MESOS_AGENT_ENDPOINT": endpoint,
            "MESOS_FRAMEWORK_ID": input.frameworkID.value,
            "MESOS_EXECUTOR_ID": input.executor.executorID.value,
            "MESOS_SLAVE_ID": input.agentID.value,
            "MESOS_SLAVE_PID": "slave(1)@\(endpoint)",
            "MESOS_DIRECTORY": input.directory,
            "MESOS_SANDBOX": input.directory,
            "MESOS_CHECKPOINT": input.checkpoint ? "1" : "0",
            "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD": duration(input.shutdownGrace),
            "MESOS_HTTP_COMMAND_EXECUTOR": "0",
            "LIBPROCESS_IP": input.agentHost,
            "LIBPROCESS_PORT": "0",
            "PATH": defaultPATH,
            "PWD": input.directory,
        ]
        if input.checkpoint {
            environment["MESOS_RECOVERY_TIMEOUT"] = "15mins"
            environment["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = "2secs"
        }
        for (name, value) in input.extra { environment[name] = value }
        for variable in input.executor.command?.environment?.variables ?? [] {
            environment[variable.name] = variable.value ?? ""
        }
        return environment
    }

    /// A duration as Mesos' `Duration` prints it: the largest unit that keeps the value >= 1
    /// ("5secs", "1mins", "1.5mins", "500ms").
    static func duration(_ seconds: Double) -> String {
        let units: [(String, Double)] = [("weeks", 604_800), ("days", 86_400), ("hrs", 3_600), ("mins", 60),
                                         ("secs", 1), ("ms", 1e-3), ("us", 1e-6)]
        for (name, size) in units where seconds >= size {
            return format(seconds / size) + name
        }
        return format(seconds * 1e9) + "ns"
    }

    private static func format(_ value: Double) -> String {
        if value == value.rounded() { return String(Int64(value)) }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
