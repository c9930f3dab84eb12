import ArgumentParser
import GitSource

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
            PromoteCommand.self,
            AbortCommand.self,
            ImportCommand.self,
            LogsCommand.self,
            SchemaCommand.self,
            AuditCommand.self,
            TokenCommand.self,
        ]
    )

    /// Commands that read a repository first set up libgit2 while the arguments are parsed.
    static func main() async {
        let readsRepository: Set<String> = ["validate", "plan", "run", "dev", "apply"]
        if CommandLine.arguments.count > 1, readsRepository.contains(CommandLine.arguments[1]) {
            GitRepository.initializeInBackground()
        }
        await main(nil)
    }
}
