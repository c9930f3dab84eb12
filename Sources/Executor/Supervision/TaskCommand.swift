import Mesos

/// argv and environment for a task's CommandInfo, as Mesos' command executor builds them: `shell` runs
/// `/bin/sh -c value`; otherwise `value` is the executable and `arguments` the argv.
struct TaskCommand: Sendable, Hashable {
    var executable: String
    var arguments: [String]
    var environment: [String: String]

    struct Invalid: Error, CustomStringConvertible { var description: String }

    init(_ command: CommandInfo, base: [String: String]) throws(Invalid) {
        var environment = base
        for variable in command.environment?.variables ?? [] { environment[variable.name] = variable.value ?? "" }
        guard let value = command.value, !value.isEmpty else { throw Invalid(description: "the command has no value") }
        if command.shell {
            executable = "/bin/sh"
            arguments = ["sh", "-c", value]
        } else {
            executable = value
            arguments = command.arguments.isEmpty ? [value] : command.arguments
        }
        self.environment = environment
    }

    /// The environment a task gets before its CommandInfo's variables: the executor's own (the agent's MESOS_*
    /// variables, PATH), the task id, and the agent host, as the command executor gives them.
    static func baseEnvironment(executor: [String: String], taskID: TaskID, host: String?) -> [String: String] {
        var environment = executor
        // Settings meant for the executor, not the task.
        for key in environment.keys where key.hasPrefix("CONVERGE_ARTIFACT_CACHE") { environment[key] = nil }
        environment["MESOS_TASK_ID"] = taskID.value
        if let directory = environment["MESOS_DIRECTORY"], environment["MESOS_SANDBOX"] == nil {
            environment["MESOS_SANDBOX"] = directory
        }
        if let host, environment["HOST"] == nil { environment["HOST"] = host }
        return environment
    }
}
