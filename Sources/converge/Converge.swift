import ArgumentParser

@main
struct Converge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "converge",
        abstract: "Declarative GitOps deployments for Apache Mesos.",
        subcommands: [
            ValidateCommand.self,
            PlanCommand.self,
            DevClusterCommand.self,
            RunCommand.self,
            ApplyCommand.self,
            DevCommand.self,
            StatusCommand.self,
            HistoryCommand.self,
            ScaleCommand.self,
            PauseCommand.self,
            ResumeCommand.self,
            BounceCommand.self,
            TriggerCommand.self,
        ]
    )
}
